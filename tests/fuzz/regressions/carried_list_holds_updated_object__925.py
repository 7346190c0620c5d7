# ast_ad fuzz regression: a list carried by a loop (acc0 = [acc0[0]]) holds x; x is then
# updated in place after the loop and the list read: wrong value and gradient; now refused
# found by: tests/fuzz, program seed 925 (python -m tests.fuzz --replay 925), minimised by tests/fuzz/shrink.py
# observed when written:
#   [jvp] value 1.5 != plain Python 0.75 (element 5, diff 0.75)
#   [grad:int:x] d/dx element 1: ast_ad 1.0, finite differences 0.5
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/carried_list_holds_updated_object__925.py
import math
import numpy as np


def f(x):
    acc0 = [x]
    for i0 in range(1):
        acc0 = [acc0[0]]
    x *= 0.5
    z2 = np.full((3, 2), 1.0)
    z2[:, 1] = acc0[0]
    return np.min(z2)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, -1.0, 1.5])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_value, wrong_grad',
    'seed': 925,
    'kind': 'scalar',
}
