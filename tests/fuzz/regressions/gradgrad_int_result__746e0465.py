# ast_ad fuzz regression: grad(grad(f)) of pow(s, 2) + s returns the int 2 for a float argument
# found by: tests/fuzz, program seed 21629 (python -m tests.fuzz --replay 21629), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [gradgrad:s] grad(grad)[s]: float argument, gradient is int
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/gradgrad_int_result__746e0465.py
import math
import numpy as np


def f(s):
    return pow(s, 2) + s


FUZZ_CASE = {
    'params': ['s'],
    'args': ['-1.5'],
    'entries': ['gradgrad:s'],
    'observed': 'bad_shape_or_dtype',
    'seed': 21629,
    'kind': 'scalar',
}
