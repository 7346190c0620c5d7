# ast_ad outsider case (written without reading ast_ad's code): one array twice in a list, updated through a run-time index.
# When written: a wrong value or gradient with no error (E: an internal TypeError);
# now right, or a located refusal.
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_b1_same_obj_for.py
import math
import numpy as np


def f(x):
    a = x * 1.0
    for p in [a, a]:
        p *= 2.0
    return np.sum(a)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, 2.0])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_value, wrong_grad',
    'seed': None,
    'kind': 'scalar',
}
