# ast_ad outsider case (written without reading ast_ad's code): np.median over an axis tuple: the formula called
# np.sort with a tuple (TypeError); now a located refusal
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_median_axis_tuple.py
import math
import numpy as np


def f(x):
    return np.sum(np.median(x, axis=(1, 2)) ** 2)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.linspace(-1.0, 2.0, 24).reshape(2, 3, 4) ** 3'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp'],
    'observed': 'internal_error',
    'seed': None,
    'kind': 'scalar',
}
