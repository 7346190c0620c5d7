# ast_ad fuzz regression: jvp/vjp: a view of a value whose kind is known only at run time (the builtin sum of a list) was not read again after the value changed in place
# found by: tests/fuzz, program seed 885294 (python -m tests.fuzz --replay 885294), minimised by tests/fuzz/shrink.py
# observed when written:
#   [jvp] value np.float64(3.0) != plain Python np.float64(1.5) (element 0, diff 1.5)
#   [jac:rev:x] J[x] element 0: ast_ad np.float64(2.0), finite differences np.float64(0.9999999999999886)
#   (simplify took _ad.view_refresh of a base of unknown kind for an element
#   of a container written elsewhere, and dropped it)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/view_of_unknown_kind_refreshed__885294.py
import math
import numpy as np


def f(x):
    z0 = sum([x for q0 in x])
    z1 = z0[::1]
    a1 = z0
    a1 -= x
    return z1


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([1.5, 1.5])'],
    'entries': ['vjp', 'jvp', 'jac:rev:x', 'jac:fwd:x'],
    'observed': 'wrong_value',
    'seed': 885294,
    'kind': 'vector',
}
