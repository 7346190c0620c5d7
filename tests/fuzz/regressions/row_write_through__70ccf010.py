# ast_ad fuzz regression: in-place update of the rows of a for loop over an array is lost
# found by: tests/fuzz, program seed 20021 (python -m tests.fuzz --replay 20021), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [vg:int:x] value np.float64(8.08) != plain Python np.float64(32.32) (element 0, diff 24.2)
#   [vg:int:x] d/dx element 0: ast_ad np.float64(1.0), finite differences
#     np.float64(3.9999999999669926)
#   [jvp] value np.float64(8.08) != plain Python np.float64(32.32) (element 0, diff 24.2)
#   [jvp] J.t element 0: ast_ad np.float64(0.0743344861572679), finite differences
#     0.297337944488163
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/row_write_through__70ccf010.py
import math
import numpy as np


def f(x):
    z = x * 1.0
    for r in z:
        r *= 2.0
    return np.sum(z * z)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[0.5, -1.0, 1.5], [2.0, 0.3, -0.7]])'],
    'entries': ['vg:int:x', 'jvp'],
    'observed': 'wrong_value',
    'seed': 20021,
    'kind': 'scalar',
}
