# ast_ad fuzz regression: return inside the second of two inner loops: vjp counts the first loop 3 times
# found by: tests/fuzz, program seed 40364 (python -m tests.fuzz --replay 40364), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [vjp] vjp call 1 d/dx element 0: ast_ad np.float64(-3.0), finite differences
#     np.float64(-1.000000000000038)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/return_in_nested_loop_vjp__ca55bd15.py
import math
import numpy as np


def f(x, y, w):
    for i0 in range(3):
        for r0 in x:
            y = y - r0
        for r1 in w:
            return y
    return 2.0


FUZZ_CASE = {
    'params': ['x', 'y', 'w'],
    'args': ['np.array([-0.5, 1.0, 0.5])', 'np.array(1.5)', 'np.array([-1.0, 1.5])'],
    'entries': ['vjp'],
    'observed': 'wrong_grad',
    'seed': 40364,
    'kind': 'scalar',
}
