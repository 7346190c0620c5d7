# ast_ad outsider case (written without reading ast_ad's code): np.multiply of lists (a list argument where NumPy takes an
# array): crashed in generated code or a rule (TypeError)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_list_arg_multiply.py
import math
import numpy as np


import scipy.stats as st
import scipy.special as sp


def f(x):
    return np.sum(np.multiply(x, x) * 3.0)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['[0.3, -1.5, 0.5]'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp'],
    'observed': 'internal_error',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
