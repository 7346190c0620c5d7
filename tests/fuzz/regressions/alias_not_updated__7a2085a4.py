# ast_ad fuzz regression: alias a = x does not see a later x *= x (value and gradient wrong)
# found by: tests/fuzz, program seed 20070 (python -m tests.fuzz --replay 20070), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [vg:int:x] value np.float64(-0.5) != plain Python np.float64(0.25) (element 0, diff 0.75)
#   [vg:int:x] d/dx element 0: ast_ad np.float64(1.0), finite differences
#     np.float64(-0.9999999999996123)
#   [jvp] value np.float64(-0.5) != plain Python np.float64(0.25) (element 0, diff 0.75)
#   [jvp] J.t element 0: ast_ad np.float64(0.6494254300441169), finite differences
#     -0.649425430043297
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/alias_not_updated__7a2085a4.py
import math
import numpy as np


def f(x):
    a = x
    a -= 1.0
    x *= x
    return a[0]


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, -1.0, 1.5])'],
    'entries': ['vg:int:x', 'jvp'],
    'observed': 'wrong_value',
    'seed': 20070,
    'kind': 'scalar',
}
