# ast_ad outsider case (written without reading ast_ad's code): a NumPy call writing into an argument (out=, ufunc.at) ignored.
# When written: a wrong value or gradient with no error (E: an internal TypeError);
# now right, or a located refusal.
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_d6_method_mean_out.py
import math
import numpy as np


def f(x):
    M = np.outer(x, x)
    v = np.zeros(2)
    M.mean(axis=1, out=v)
    return np.sum(v)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, 2.0])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_value, wrong_grad',
    'seed': None,
    'kind': 'scalar',
}
