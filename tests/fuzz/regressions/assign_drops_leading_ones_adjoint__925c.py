# ast_ad fuzz regression (seed 925, minimised): a value of shape (1, 3) assigned into a
# slot of shape (3,) (NumPy drops the leading 1): the adjoint was summed over the 3
# elements instead of reshaped (wrong gradient and Hessian, no error)
# found by: tests/fuzz, program seed 925 (python -m tests.fuzz --replay 925), minimised by tests/fuzz/shrink.py
# observed when written:
#   [hess:x] H[0, 0] for x: ast_ad -0.7268619813835873, finite differences 0.0
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/assign_drops_leading_ones_adjoint__925c.py
import math
import numpy as np


def f(x):
    acc0 = [x]
    acc0 = [acc0]
    z2 = np.full((3, 2), 1.0)
    z2[:, 1] = np.tanh(acc0[0])
    return np.min(z2)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, -1.0, 1.5])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x', 'hvp:x'],
    'observed': 'wrong_grad, wrong_hessian',
    'seed': 925,
    'kind': 'scalar',
}
