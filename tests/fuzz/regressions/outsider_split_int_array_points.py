# ast_ad outsider case (written without reading ast_ad's code): np.split with split points given as an int array:
# shapes were inferred from stand-in values (ValueError in generated code)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_split_int_array_points.py
import math
import numpy as np


def f(x):
    a, b = np.split(x, np.array([3]))
    return np.sum(a ** 2) + np.sum(b)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.3, -1.2, 0.5, 2.0, 0.1])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp'],
    'observed': 'internal_error',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
