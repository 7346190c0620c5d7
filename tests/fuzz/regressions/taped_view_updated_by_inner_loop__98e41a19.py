# ast_ad fuzz regression: a row view put on the tape, the rows updated in place by an inner loop of the next iteration: gradient wrong
# found by: tests/fuzz, program seed 400421 (python -m tests.fuzz --replay 400421), minimised by tests/fuzz/shrink.py and by hand
# observed when written: wrong_grad (see the title); now exact or a located refusal.
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x, y, w):
    k0 = 0
    while k0 < 2:
        k0 += 1
        for r1 in x:
            r1 *= r1
        y = y + np.dot(x[1], w)
    return max(y)


FUZZ_CASE = {
    'params': ['x', 'y', 'w'],
    'args': ['np.array([[-1.0, -0.5, 1.0], [0.5, 0.5, -1.0], [0.5, 1.5, 0.5]])', 'np.array([1.0, -0.5])', 'np.array([1.5, 1.5, 0.5])'],
    'entries': ['grad:name:w', 'vg:int:x', 'jvp', 'vjp', 'hess:w'],
    'observed': 'wrong_grad',
    'seed': 400421,
    'kind': 'vector',
}
