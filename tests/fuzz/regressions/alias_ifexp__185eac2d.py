# ast_ad fuzz regression: alias made by a conditional expression does not propagate an item assignment
# found by: tests/fuzz, program seed 28 (python -m tests.fuzz --replay 28), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [jvp] value np.float64(-0.5) != plain Python np.float64(1.0) (element 4, diff 1.5)
#   [jvp] J.t element 3: ast_ad np.float64(0.29135866883940564), finite differences 0.0
#   [jac:fwd:x] J[x] element 21: ast_ad np.float64(1.0), finite differences np.float64(0.0)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/alias_ifexp__185eac2d.py
import math
import numpy as np


def f(x):
    z0 = x if x[0, 0] > 0.0 else x
    z0[1] = 1.0
    return x


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[1.5, 0.5, 0.5], [1.0, -0.5, 1.0]])'],
    'entries': ['jvp', 'jac:fwd:x'],
    'observed': 'wrong_value',
    'seed': 28,
    'kind': 'scalar',
}
