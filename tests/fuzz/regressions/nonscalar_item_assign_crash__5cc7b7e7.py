# ast_ad fuzz regression: grad of a vector-valued f with item assignment: TypeError instead of NonScalarOutputError
# found by: tests/fuzz, program seed 21860 (python -m tests.fuzz --replay 21860), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [nonscalar:y] TypeError: 'float' object is not subscriptable (at ast_ad/lower.py:483)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/nonscalar_item_assign_crash__5cc7b7e7.py
import math
import numpy as np


def f(y):
    z1 = np.ones(3)
    z1[1] = np.dot(y, y)
    return z1


FUZZ_CASE = {
    'params': ['y'],
    'args': ['np.array([1.5, 1.5, 1.0])'],
    'entries': ['nonscalar:y'],
    'observed': 'internal_error',
    'seed': 21860,
    'kind': 'scalar',
}
