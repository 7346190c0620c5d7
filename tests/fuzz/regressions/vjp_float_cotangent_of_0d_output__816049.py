# ast_ad fuzz regression: vjp: a Python float cotangent for a 0-d array output gave a float gradient for a 0-d array argument
# found by: tests/fuzz, program seed 816049 (python -m tests.fuzz --replay 816049), minimised by tests/fuzz/shrink.py
# observed when written:
#   [vjp] vjp[w]: array argument float64(), gradient is float
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/vjp_float_cotangent_of_0d_output__816049.py
import math
import numpy as np


def f(y, w):
    for i0 in range(1):
        y, w = (w, y)
    return y


FUZZ_CASE = {
    'params': ['y', 'w'],
    'args': ['np.array(-0.5)', 'np.array(-1.0)'],
    'entries': ['vjp', 'jvp', 'grad:tuple:y,w', 'jac:rev:w'],
    'observed': 'bad_shape_or_dtype',
    'seed': 816049,
    'kind': 'scalar',
}
