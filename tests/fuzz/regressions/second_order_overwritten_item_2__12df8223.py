# ast_ad fuzz regression: hessian ignores z[0] = 1.0 after z[0] += y[1] ** 2
# found by: tests/fuzz, program seed 60192 (python -m tests.fuzz --replay 60192), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hess:y] H[1, 1] for y: ast_ad np.float64(4.0), finite differences np.float64(0.0)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/second_order_overwritten_item_2__12df8223.py
import math
import numpy as np


def f(y):
    z = np.full(2, 1.0)
    z[0] += y[1] ** 2
    z[0] = 1.0
    return np.sum(z * z)


FUZZ_CASE = {
    'params': ['y'],
    'args': ['np.array([-0.5, 1.5])'],
    'entries': ['hess:y'],
    'observed': 'wrong_hessian',
    'seed': 60192,
    'kind': 'scalar',
}
