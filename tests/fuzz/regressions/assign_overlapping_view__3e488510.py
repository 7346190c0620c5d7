# ast_ad fuzz regression: z0[1] = z0[:, 2] (overlapping memory, NumPy's order of copying): gradient wrong
# found by: tests/fuzz, program seed 402974 (python -m tests.fuzz --replay 402974), minimised by tests/fuzz/shrink.py and by hand
# observed when written: wrong_grad (see the title); now exact or a located refusal.
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x):
    z0 = sum([x for q0 in x])
    z0[1] = z0[:, 2]
    return z0.sum()


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[1.0, -1.5, -0.5], [0.5, 0.5, -0.5], [0.5, -0.5, -0.5]])'],
    'entries': ['vg:int:x', 'jac:rev:x', 'jvp', 'vjp'],
    'observed': 'wrong_grad',
    'seed': 402974,
    'kind': 'vector',
}
