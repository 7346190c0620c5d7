# ast_ad outsider case (written without reading ast_ad's code): a (1, 3) value assigned into a (3,) column: the adjoint
# summed over the column instead of reshaping (wrong gradient, no error)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_assign_leading_ones.py
import math
import numpy as np


def f(x):
    z = np.full((3, 2), 1.0)
    z[:, 1] = np.tanh(x[None])
    return np.min(z)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, -1.0, 1.5])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_grad',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
