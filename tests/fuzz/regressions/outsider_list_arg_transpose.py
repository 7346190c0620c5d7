# ast_ad outsider case (written without reading ast_ad's code): np.transpose of a nested list: generated code did x.T
# on the list (AttributeError)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_list_arg_transpose.py
import math
import numpy as np


def f(x):
    return np.sum(np.transpose(x) * np.array([[1.0, 2.0], [3.0, 4.0]]))


FUZZ_CASE = {
    'params': ['x'],
    'args': ['[[1.0, 2.0], [3.0, 4.0]]'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp'],
    'observed': 'internal_error',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
