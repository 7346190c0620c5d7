# ast_ad outsider case (written without reading ast_ad's code): a loop over np.split pieces: zero gradient
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_split_loop_over_pieces.py
import math
import numpy as np


def f(x):
    s = 0.0
    for p in np.split(x, [2, 4]):
        s = s + np.sum(p * p)
    return s


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp'],
    'observed': 'wrong_grad',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
