# ast_ad fuzz regression: an array updated in place in a nested loop, then stored in a list grown in another loop: internal error
# found by: tests/fuzz, program seed 707695 (python -m tests.fuzz --replay 707695), minimised by tests/fuzz/shrink.py and by hand
# observed when written: internal_error IRError: Var(acc0) read before definition (an element
#   object made a view of the list in a discarded lowering of the loop kept that view)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(s, t, x):
    while t < 0:
        for i0 in range(2):
            a0 = x
            a0[2] = 1.0
        x -= x
        acc0 = [x]
        for i1 in range(2):
            acc0 += [s]
        t = t
    return s * 0.5 + np.sum(x)


FUZZ_CASE = {
    'params': ['s', 't', 'x'],
    'args': ['-1.0', '0.5', 'np.array([1.0, 0.5, -1.0])'],
    'entries': ['grad:int:s', 'vg:tuple:s,x', 'jvp', 'vjp', 'hess:s'],
    'observed': 'internal_error',
    'seed': 707695,
    'kind': 'scalar',
}
