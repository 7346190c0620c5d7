# ast_ad fuzz regression: value: an array made in an outer loop (loop-invariant, so made once before it) updated in place by an inner loop
# found by: tests/fuzz, program seed 836642 (python -m tests.fuzz --replay 836642), reduced by hand
# observed when written:
#   wrong_hessian at the fuzz's point; at x = [0.7, 0.2] the value itself: 1.0347 != plain Python 0.2587
#   (z0 = y.T * y.T does not depend on the outer loop, so it was made once before it; the inner
#   loop then updated that one object in place, and the next outer iteration started from the
#   updated rows: s had the wrong sign, and the break was not taken)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/hoisted_array_taken_over_by_inner_loop__836642.py
import math
import numpy as np


def f(x, y):
    for i0 in range(1, 3):
        z0 = y.transpose() * y.transpose()
        for r0 in z0:
            r0 *= y[1][1]
            s = r0[2]
    for r1 in y:
        x = np.dot(y, x)[2]
        if math.exp(s) < 1.0:
            break
    [z3, z4] = [y * x, np]
    return np.var(z3) + s * x


FUZZ_CASE = {
    'params': ['x', 'y'],
    'args': ['np.array([0.7, 0.2])', 'np.array([[-1.0, 1.0], [-1.5, -1.0], [-1.0, 1.0]])'],
    'entries': ['grad:int:x', 'vg:int:x', 'grad:tuple:x,y', 'vjp', 'jvp', 'hess:x', 'hvp:x'],
    'observed': 'wrong_value',
    'seed': 836642,
    'kind': 'scalar',
}
