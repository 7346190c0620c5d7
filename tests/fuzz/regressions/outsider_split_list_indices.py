# ast_ad outsider case (written without reading ast_ad's code): np.split with a list of split points: the
# gradients of all but one piece were lost (reverse mode, no error)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_split_list_indices.py
import math
import numpy as np


def f(x):
    a, b, c = np.split(x, [2, 4])
    return np.sum(a * 1.0) + np.sum(b * 10.0) + np.sum(c * 100.0)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_grad',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
