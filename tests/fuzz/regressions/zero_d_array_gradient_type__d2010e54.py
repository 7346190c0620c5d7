# ast_ad fuzz regression: 0-d array argument gets a Python float gradient
# found by: tests/fuzz, program seed 20109 (python -m tests.fuzz --replay 20109), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [grad:int:x] x: array argument float64(), gradient is float
#   [vjp] vjp[x]: array argument float64(), gradient is float
#   [vjp] vjp[x]: array argument float64(), gradient is float
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/zero_d_array_gradient_type__d2010e54.py
import math
import numpy as np


def f(x):
    return x * 1.0


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array(0.5)'],
    'entries': ['grad:int:x', 'vjp'],
    'observed': 'bad_shape_or_dtype',
    'seed': 20109,
    'kind': 'scalar',
}
