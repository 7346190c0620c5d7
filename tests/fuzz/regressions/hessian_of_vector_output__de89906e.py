# ast_ad fuzz regression: hessian/hvp of a vector-valued f do not raise (grad does)
# found by: tests/fuzz, program seed 60184 (python -m tests.fuzz --replay 60184), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hess:x] hess of a function returning shape (2,) returned ndarray (2, 2) instead of raising
#   [hvp:x] hvp of a function returning shape (2,) returned ndarray (2,) instead of raising
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/hessian_of_vector_output__de89906e.py
import math
import numpy as np


def f(x):
    return x ** 2


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([-1.0, 0.5])'],
    'entries': ['hess:x', 'hvp:x'],
    'observed': 'missing_error',
    'seed': 60184,
    'kind': 'scalar',
}
