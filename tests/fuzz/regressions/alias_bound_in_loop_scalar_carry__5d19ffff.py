# ast_ad fuzz regression: a loop that rebinds its carry and binds another name to an argument; the argument updated in place after
# found by: tests/fuzz, program seed 511 (python -m tests.fuzz --replay 511), minimised by hand
import math
import numpy as np


def f(x, y):
    for p0 in range(2):
        x = x - 0.5 * x
        z3 = y
    a0 = y
    a0 -= np.dot(a0, np.tanh(y))
    return 2.0 * x + np.min(y)


FUZZ_CASE = {
    'params': ['x', 'y'],
    'args': ['np.array(-1.109)', 'np.array([-1.418, 1.12, -1.134])'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x', 'jac:fwd:x'],
    'observed': 'wrong_value',
    'seed': 511,
    'kind': 'vector',
}
