# ast_ad outsider case (written without reading ast_ad's code): np.linalg.norm(x, 2, axis=(0, 1)) is the spectral norm;
# its gradient was the Frobenius one (wrong, no error); now refused
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_spectral_norm_axis_tuple.py
import math
import numpy as np


def f(x):
    return np.linalg.norm(x, 2, axis=(0, 1))


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[0.3, -1.2, 0.5], [1.1, 0.4, -0.7], [0.2, 0.9, 1.3], [-0.6, 0.1, 0.8]])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp'],
    'observed': 'wrong_grad',
    'seed': None,
    'kind': 'scalar',
}
