# ast_ad fuzz regression: a loop-carried array rebound (x /= m makes a new one, which the tape keeps) and updated in place at the next iteration: gradient wrong
# found by: tests/fuzz, program seed 700007 (python -m tests.fuzz --replay 700007), minimised by tests/fuzz/shrink.py and by hand
# observed when written: wrong_grad [grad:int:x] d/dx element 0: ast_ad 7.3469, finite
#   differences -1.4694 (the update x[-2] *= n was done in place on the object the
#   previous iteration's tape entry held)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x, n):
    for i3 in range(2):
        x[-2] *= n
        x /= np.mean(x)
    return np.max(x)


FUZZ_CASE = {
    'params': ['x', 'n'],
    'args': ['np.array([0.5, -1.0])', '3'],
    'entries': ['grad:int:x', 'vg:int:x', 'jvp', 'vjp', 'hess:x', 'hvp:x'],
    'observed': 'wrong_grad',
    'seed': 700007,
    'kind': 'scalar',
}
