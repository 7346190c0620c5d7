# ast_ad outsider case (written without reading ast_ad's code): np.split & co. (lists of views) taken as copies.
# When written: a wrong value or gradient with no error (E: an internal TypeError);
# now right, or a located refusal.
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_c4_vsplit.py
import math
import numpy as np


def f(x):
    M = np.outer(x, np.array([1.0, 2.0]))
    top, bot = np.vsplit(M, [1])
    top *= 3.0
    return np.sum(M)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, 2.0])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_value, wrong_grad',
    'seed': None,
    'kind': 'scalar',
}
