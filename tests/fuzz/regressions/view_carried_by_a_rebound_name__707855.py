# ast_ad fuzz regression: a name bound to a list element (or a branch choosing it) before a loop that updates the list's elements in place: value wrong
# found by: tests/fuzz, program seed 707855 (python -m tests.fuzz --replay 707855), minimised by tests/fuzz/shrink.py and by hand
# observed when written: wrong_value [vg:int:ps] value 1.5 != plain Python 1.125 (the element
#   objects were made views of the list in a first lowering of the loop that was then
#   discarded, and were not registered again; a name that may be the element, chosen by a
#   branch, was not read again either -- now refused)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(ps, s):
    z0 = ps[0]
    z1 = ps[1] if s > 0.0 else 1.0
    for p1 in ps:
        p1[1] *= s
    return z0.mean() + s * np.sum(ps[2])


FUZZ_CASE = {
    'params': ['ps', 's'],
    'args': ['[np.array([1.5, 1.5]), np.array([-1.5, -0.5]), np.array([1.0, -1.0])]', '0.5'],
    'entries': ['vg:int:ps', 'grad:int:s', 'vg:tuple:ps,s', 'jvp', 'vjp', 'hess:s'],
    'observed': 'wrong_value',
    'seed': 707855,
    'kind': 'scalar',
}
