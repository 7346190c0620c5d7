# ast_ad fuzz regression: value_and_grad: an array held by a comprehension's list, updated in a loop through a name a branch may rebind
# found by: tests/fuzz, program seed 830654 (python -m tests.fuzz --replay 830654), minimised by tests/fuzz/shrink.py
# observed when written:
#   [vg:int:x] value 0.9166666666666666 != plain Python 6.916666666666667
#   (the loop's x may be the x the list holds: its update was not seen by the list; now a located refusal)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/escaped_object_updated_through_loop_carry__830654.py
import math
import numpy as np


def f(x):
    ls0 = [x for q0 in range(3)]
    for i0 in range(2):
        if ls0:
            x[-3] += 3
        else:
            x = 1.0
    z1 = ls0
    return np.var(z1)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[-1.5, -0.5], [-1.0, 1.0], [0.5, -1.5]])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 830654,
    'kind': 'scalar',
}
