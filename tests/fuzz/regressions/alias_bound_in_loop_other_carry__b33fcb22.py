# ast_ad fuzz regression: a name bound to the argument inside a loop; the argument updated in place after it
# found by: tests/fuzz, program seed 817 (python -m tests.fuzz --replay 817), minimised by hand
import math
import numpy as np


def f(x, y):
    for i in range(2):
        x = x * y
        z3 = y
    a0 = y
    a0 -= 0.5 * a0
    return np.sum(x) + np.sum(y)


FUZZ_CASE = {
    'params': ['x', 'y'],
    'args': ['np.array([-0.706, -0.123, 0.8])', 'np.array([1.2, -0.5, 0.9])'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x', 'jac:fwd:x'],
    'observed': 'wrong_value',
    'seed': 817,
    'kind': 'vector',
}
