# ast_ad fuzz regression: the gradient with respect to a float came back as an int (1.0 * q0 simplified to the int q0)
# found by: tests/fuzz, program seed 503378 (python -m tests.fuzz --replay 503378), minimised by hand
# observed when written: bad_shape_or_dtype [grad:int:s] s: float argument, gradient is int
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(s):
    s = sum((s * q0 for q0 in range(2)))
    return s


FUZZ_CASE = {
    'params': ['s'],
    'args': ['0.358'],
    'entries': ['grad:int:s', 'vg:int:s', 'jvp', 'vjp', 'hess:s'],
    'observed': 'bad_shape_or_dtype',
    'seed': 503378,
    'kind': 'scalar',
}
