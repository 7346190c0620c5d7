# ast_ad fuzz regression: hvp w.r.t. a float of a function with a loop ignores v
# found by: tests/fuzz, program seed 20237 (python -m tests.fuzz --replay 20237), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hvp:s] (H v)[0] for s: ast_ad np.float64(2.0), finite differences
#     np.float64(-0.3154184310802388)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/hvp_float_loop_ignores_v__871a7e56.py
import math
import numpy as np


def f(s):
    acc = []
    for i in range(2):
        acc.append(s)
    return acc[1] * acc[1]


FUZZ_CASE = {
    'params': ['s'],
    'args': ['0.5'],
    'entries': ['hvp:s'],
    'observed': 'wrong_hessian',
    'seed': 20237,
    'kind': 'scalar',
}
