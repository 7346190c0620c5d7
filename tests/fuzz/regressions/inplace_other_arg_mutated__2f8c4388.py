# ast_ad fuzz regression: jacobian(rev) w.r.t. s mutates the argument x that f updates in place
# found by: tests/fuzz, program seed 20000 (python -m tests.fuzz --replay 20000), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [jac:rev:s] argument x changed by the call
#   [jac:rev:s] J[s] element 0: ast_ad np.float64(-0.375), finite differences
#     np.float64(-0.7499999999999791)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/inplace_other_arg_mutated__2f8c4388.py
import math
import numpy as np


def f(x, s):
    x /= 2.0
    return s * np.sum(x)


FUZZ_CASE = {
    'params': ['x', 's'],
    'args': ['np.array([-1.0, -0.5])', '1.5'],
    'entries': ['jac:rev:s'],
    'observed': 'wrong_grad',
    'seed': 20000,
    'kind': 'scalar',
}
