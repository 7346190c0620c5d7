# ast_ad fuzz regression: alias of the argument re-bound in a loop, updated in place: value/grad wrong
# found by: tests/fuzz, program seed 20838 (python -m tests.fuzz --replay 20838), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [vg:int:x] value np.float64(-0.5) != plain Python np.float64(1.0625) (element 0, diff 1.56)
#   [vg:int:x] d/dx element 0: ast_ad np.float64(1.0), finite differences
#     np.float64(0.5000000002031157)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/alias_in_loop__8858ddae.py
import math
import numpy as np


def f(x):
    for i0 in range(2):
        a0 = x
        a0[:] *= a0
    return np.sum(x)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, -1.0])'],
    'entries': ['vg:int:x'],
    'observed': 'wrong_value',
    'seed': 20838,
    'kind': 'scalar',
}
