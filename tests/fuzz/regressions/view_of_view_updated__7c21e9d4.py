# ast_ad fuzz regression: a reshape of a slice of an array, the array then updated in place: value wrong
# found by: tests/fuzz, program seed 303668 (a step of its minimisation), written by hand
# observed when written:
#   [vg:int:x] value 2.5 != plain Python 4.25 (acc1 did not see the update)
# Now a located UnsupportedSyntaxError (acc1 may be a view or a copy).
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x):
    z0 = x * 1.0
    acc1 = z0[:2].reshape(2, 1)
    z0 *= z0
    return np.sum(acc1)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, 2.0, 3.0])'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 303668,
    'kind': 'vector',
}
