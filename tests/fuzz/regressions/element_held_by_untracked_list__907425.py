# ast_ad fuzz regression: an array that is an element of a list is also held by a list appended in a loop, then updated in place: wrong value
# found by: tests/fuzz, program seed 907425 (python -m tests.fuzz --replay 907425), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [jvp] value np.float64(0.5) != plain Python np.float64(0.0) (element 0, diff 0.5)
#   (acc1 holds acc0[0], which is x; x *= 0 was not seen through acc1; now a located refusal)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/element_held_by_untracked_list__907425.py
import math
import numpy as np


def f(x):
    z0 = x
    acc0 = []
    acc0.append(x)
    for i0 in range(2):
        acc0.append(x * 2.0)
    acc1 = [acc0[0]]
    for i1 in range(3):
        acc1 += [1.0]
    z0 *= 0.5
    z3 = np.ones((3, 1))
    z3[:, 0] = acc1[0]
    return z3


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, -0.5, 0.5])'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'jac:fwd:x', 'jac:rev:x'],
    'observed': 'wrong_value',
    'seed': 907425,
    'kind': 'vector',
}
