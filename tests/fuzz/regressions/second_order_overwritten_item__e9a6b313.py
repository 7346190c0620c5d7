# ast_ad fuzz regression: hessian ignores an item assignment that overwrites a value (grad is right)
# found by: tests/fuzz, program seed 60143 (python -m tests.fuzz --replay 60143), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hess:w] H[0, 0] for w: ast_ad np.float64(0.6397000084492246), finite differences
#     np.float64(0.0)
#   [hvp:w] (H v)[0] for w: ast_ad np.float64(0.47863343190724617), finite differences
#     np.float64(0.0)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/second_order_overwritten_item__e9a6b313.py
import math
import numpy as np


def f(w):
    w = np.tanh(w)
    w[:] = 0.0
    return w[0]


FUZZ_CASE = {
    'params': ['w'],
    'args': ['np.array([-1.0, 0.5])'],
    'entries': ['hess:w', 'hvp:w'],
    'observed': 'wrong_hessian',
    'seed': 60143,
    'kind': 'scalar',
}
