# ast_ad fuzz regression: jvp: a branch-chosen reshaped view, transposed and written into, while a dict holds the base
# found by: tests/fuzz, program seed 840420 (python -m tests.fuzz --replay 840420), minimised by tests/fuzz/shrink.py
# observed when written:
#   [jvp] value np.float64(2.0) != plain Python np.float64(-1.5) (element 0, diff 3.5)
#   (the write through `.T` of an object a branch chose was dropped: the chosen
#   object, a view of z0, was not seen as read again; now a located refusal)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/branch_chosen_view_transposed_written__840420.py
import math
import numpy as np


def f(tp):
    z0 = sum([np.ones((2, 3)) for q0 in range(2)])
    dd1 = {'p': z0.reshape(3, 2).T, 'q': z0}
    z0 = (z0.reshape(3, 2) if np.dot(z0[0], dd1['p'][1]) else 3).transpose()
    z0[0] = tp
    z1 = dd1['q']
    return z1


FUZZ_CASE = {
    'params': ['tp'],
    'args': ['(-1.5, 1.0, 1.0)'],
    'entries': ['vjp', 'jvp', 'jac:rev:tp', 'jac:fwd:tp'],
    'observed': 'wrong_value',
    'seed': 840420,
    'kind': 'array',
}
