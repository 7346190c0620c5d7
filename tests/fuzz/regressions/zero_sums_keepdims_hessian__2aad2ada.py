# ast_ad fuzz regression: hessian: ValueError in zero_sums.py (keepdims mean minus min, norm)
# found by: tests/fuzz, program seed 20669 (python -m tests.fuzz --replay 20669), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hess:x] ValueError: too many values to unpack (expected 2) (at ast_ad/zero_sums.py:185)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/zero_sums_keepdims_hessian__2aad2ada.py
import math
import numpy as np


def f(x):
    return np.linalg.norm(np.mean(x, axis=1, keepdims=True) - np.min(x, axis=0))


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[-0.5, 0.5, 1.5], [-1.0, -0.5, -1.0], [1.5, 0.5, 0.5]])'],
    'entries': ['hess:x'],
    'observed': 'internal_error',
    'seed': 20669,
    'kind': 'scalar',
}
