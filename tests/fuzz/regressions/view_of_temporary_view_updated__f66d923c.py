# ast_ad fuzz regression: x.T.transpose() updated in place: the write through the temporary x.T was dropped
# found by: tests/fuzz, program seed 400567 (python -m tests.fuzz --replay 400567), minimised by tests/fuzz/shrink.py and by hand
# observed when written: wrong_value (see the title); now exact or a located refusal.
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x):
    z0 = x.T.transpose()
    z0 /= 2
    return np.max(x)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[-0.4, -0.6, 1.2], [0.4, 1.0, 1.0]])'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 400567,
    'kind': 'vector',
}
