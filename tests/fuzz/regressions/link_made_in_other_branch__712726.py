# ast_ad fuzz regression: an alias updated in place in one branch (its kind decided at run time), the same array updated in a loop in the other: internal error
# found by: tests/fuzz, program seed 712726 (python -m tests.fuzz --replay 712726), minimised by tests/fuzz/shrink.py and by hand
# observed when written: internal_error IRError: Var read before definition (the run-time
#   alias link made while lowering one side of the if was seen by the other side)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x, y):
    y = np.array([1.0])
    if y < 1.0:
        a0 = y
        a0 += 1
    else:
        for p0 in x:
            y[-1] *= p0
    return np.var(y) + np.sum(y * x)


FUZZ_CASE = {
    'params': ['x', 'y'],
    'args': ['np.array([1.0, -1.0, 1.0])', 'np.array([-0.5, 1.0])'],
    'entries': ['grad:int:x', 'vg:tuple:x,y', 'jvp', 'vjp', 'hess:x'],
    'observed': 'internal_error',
    'seed': 712726,
    'kind': 'scalar',
}
