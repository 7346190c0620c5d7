# ast_ad outsider case (written without reading ast_ad's code): np.concatenate(..., axis=None): the adjoint
# indexed shapes by None (internal TypeError)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_concatenate_axis_none.py
import math
import numpy as np


def f(x):
    return np.sum(np.concatenate([x, x[:1]], axis=None) ** 2)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[0.3, -1.2], [0.5, 2.0]])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp'],
    'observed': 'internal_error',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
