# ast_ad fuzz regression: a name that is the argument or a number depending on a branch, updated in place in a loop: value wrong
# found by: tests/fuzz, program seed 303668 (python -m tests.fuzz --replay 303668), minimised by hand
# observed when written:
#   [vg:int:x] value 1.384 != plain Python 1.1358 (the update of x through u0 was lost)
# Now a located UnsupportedSyntaxError (which object u0 is depends on the branch).
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x):
    u0 = x if x > 0.0 else 1.0
    acc1 = x * 1.0
    for k in range(2):
        u0 *= u0
        u0 = 0.3
    return np.sum(acc1) + np.sum(x) + u0


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array(0.542)'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 303668,
    'kind': 'scalar',
}
