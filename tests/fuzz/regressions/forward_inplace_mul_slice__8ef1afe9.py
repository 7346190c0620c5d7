# ast_ad fuzz regression: forward mode: z[1:] *= s uses the updated z (jvp/jacobian fwd half the right value)
# found by: tests/fuzz, program seed 40018 (python -m tests.fuzz --replay 40018), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [jvp] J.t element 1: ast_ad np.float64(0.7899526174415066), finite differences
#     1.5799052348830316
#   [jac:fwd:s] J[s] element 1: ast_ad np.float64(1.0), finite differences
#     np.float64(2.0000000000000018)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/forward_inplace_mul_slice__8ef1afe9.py
import math
import numpy as np


def f(s):
    z = np.full(3, 2.0)
    z[1:] *= s
    return z


FUZZ_CASE = {
    'params': ['s'],
    'args': ['0.5'],
    'entries': ['jvp', 'jac:fwd:s'],
    'observed': 'wrong_grad',
    'seed': 40018,
    'kind': 'scalar',
}
