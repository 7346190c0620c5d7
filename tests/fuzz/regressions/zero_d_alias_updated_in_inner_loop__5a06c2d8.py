# ast_ad fuzz regression: a 0-d array updated in place through an alias in an inner loop, rebound in the outer one: value wrong
# found by: tests/fuzz, program seed 601877 (python -m tests.fuzz --replay 601877), minimised by tests/fuzz/shrink.py and by hand
# observed when written: wrong_value [vg:int:y] -0.25 != plain Python -0.0625 (0-d arithmetic
#   gives a NumPy scalar, and the run-time alias helper then took the name for a rebound number)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(y, t):
    for i0 in range(1):
        for r0 in range(3):
            a0 = y
            a0 *= t
        y = y * 1.0
    return y


FUZZ_CASE = {
    'params': ['y', 't'],
    'args': ['np.array(-0.5)', '0.5'],
    'entries': ['vg:int:y', 'vg:tuple:y,t', 'jvp', 'vjp', 'hess:y'],
    'observed': 'wrong_value',
    'seed': 601877,
    'kind': 'scalar',
}
