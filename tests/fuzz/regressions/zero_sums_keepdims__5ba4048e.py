# ast_ad fuzz regression: ValueError in zero_sums.py for a keepdims reduction followed by std/norm
# found by: tests/fuzz, program seed 40012 (python -m tests.fuzz --replay 40012), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [jvp] ValueError: too many values to unpack (expected 2) (at ast_ad/zero_sums.py:185)
#   [jac:fwd:y] ValueError: too many values to unpack (expected 2) (at ast_ad/zero_sums.py:185)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/zero_sums_keepdims__5ba4048e.py
import math
import numpy as np


def f(y):
    z7 = np.sum(y, axis=1, keepdims=True)
    return z7.std(axis=0)


FUZZ_CASE = {
    'params': ['y'],
    'args': ['np.array([[-1.5, 0.5], [-1.5, -1.0], [-0.5, -1.0]])'],
    'entries': ['jvp', 'jac:fwd:y'],
    'observed': 'internal_error',
    'seed': 40012,
    'kind': 'scalar',
}
