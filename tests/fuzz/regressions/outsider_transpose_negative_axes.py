# ast_ad outsider case (written without reading ast_ad's code): np.transpose with negative axes: the adjoint
# was transposed by argsort of the negative numbers (wrong gradient, no error)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_transpose_negative_axes.py
import math
import numpy as np


def f(x):
    w = np.arange(24.0).reshape(4, 2, 3)
    return np.sum(np.transpose(x, (-1, 0, 1)) * w)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.linspace(-1.0, 1.0, 24).reshape(2, 3, 4)'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp'],
    'observed': 'wrong_grad',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
