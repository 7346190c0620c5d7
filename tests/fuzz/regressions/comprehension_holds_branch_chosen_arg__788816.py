# ast_ad fuzz regression: a list comprehension of `x if c else y` holds x twice; each
# element updated in place in a loop (x += 1.0 twice in Python): the update was
# applied once (wrong value and gradient); now a located refusal
# found by: tests/fuzz, program seed 788816 (python -m tests.fuzz --replay 788816), minimised by tests/fuzz/shrink.py
# observed when written:
#   [vg:int:x] value 0.5 != plain Python 1.5
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/comprehension_holds_branch_chosen_arg__788816.py
import math
import numpy as np


def f(x, y):
    k0 = 0
    while k0:
        k0 += 1
    ls0 = [x if k0 > -0.5 else y for q0 in range(2)]
    for p0 in ls0:
        p0 += 1.0
    return ls0[0][1][0] ** 3


FUZZ_CASE = {
    'params': ['x', 'y'],
    'args': ['np.array([[-0.5], [1.0], [-0.5]])', 'np.array([[-1.0], [-0.5], [-0.5]])'],
    'entries': ['grad:int:x', 'vg:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value, wrong_grad',
    'seed': 788816,
    'kind': 'scalar',
}
