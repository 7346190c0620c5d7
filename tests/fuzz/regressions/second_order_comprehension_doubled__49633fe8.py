# ast_ad fuzz regression: hessian and grad(grad) of a comprehension over a float: twice the right value
# found by: tests/fuzz, program seed 40315 (python -m tests.fuzz --replay 40315), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hess:t] H[0, 0] for t: ast_ad np.float64(12.0), finite differences
#     np.float64(5.999999999999339)
#   [gradgrad:t] H[0, 0] for t: ast_ad np.float64(12.0), finite differences
#     np.float64(5.999999999999339)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/second_order_comprehension_doubled__49633fe8.py
import math
import numpy as np


def f(t):
    return np.sum([t for q in range(3)]) * t


FUZZ_CASE = {
    'params': ['t'],
    'args': ['1.0'],
    'entries': ['hess:t', 'gradgrad:t'],
    'observed': 'wrong_hessian',
    'seed': 40315,
    'kind': 'scalar',
}
