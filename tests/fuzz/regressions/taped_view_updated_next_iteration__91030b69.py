# ast_ad fuzz regression: a view of an array read (and taped) in a loop whose next iteration updates the array in place
# found by: tests/fuzz, program seed 389 (python -m tests.fuzz --replay 389), minimised by hand
import math
import numpy as np


def f(x, s):
    for i0 in range(1, 3):
        x[-1] -= 0.5 * s
        s = s * np.var(x.T)
    return s


FUZZ_CASE = {
    'params': ['x', 's'],
    'args': ['np.array([[0.722, -0.145, 1.284], [0.5, -0.324, -1.076]])', '-0.653'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x', 'jac:fwd:x'],
    'observed': 'wrong_value',
    'seed': 389,
    'kind': 'vector',
}
