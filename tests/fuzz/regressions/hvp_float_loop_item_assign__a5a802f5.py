# ast_ad fuzz regression: hvp w.r.t. a float of a function with a loop ignores v (item assignment in the loop)
# found by: tests/fuzz, program seed 20256 (python -m tests.fuzz --replay 20256), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hvp:s] (H v)[0] for s: ast_ad np.float64(-0.15915870375233154), finite differences
#     np.float64(0.10999379730493154)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/hvp_float_loop_item_assign__a5a802f5.py
import math
import numpy as np


def f(s, b):
    z0 = np.ones(3)
    for i3 in range(3):
        z0[:] = s
    return np.sum(np.cos(z0 @ b))


FUZZ_CASE = {
    'params': ['s', 'b'],
    'args': ['1.0', 'np.array([-0.5, 0.5, -1.5])'],
    'entries': ['hvp:s'],
    'observed': 'wrong_hessian',
    'seed': 20256,
    'kind': 'scalar',
}
