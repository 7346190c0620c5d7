# ast_ad fuzz regression: forward mode: z[:] *= tp with a tuple argument
# found by: tests/fuzz, program seed 20078 (python -m tests.fuzz --replay 20078), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [jvp] J.t element 0: ast_ad np.float64(0.8925098631963622), finite differences
#     1.785019726392741
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/forward_inplace_mul_tuple__20f84e77.py
import math
import numpy as np


def f(tp):
    z = np.full(3, 2.0)
    z[:] *= tp
    return z


FUZZ_CASE = {
    'params': ['tp'],
    'args': ['(0.5, -1.0, -1.0)'],
    'entries': ['jvp'],
    'observed': 'wrong_grad',
    'seed': 20078,
    'kind': 'scalar',
}
