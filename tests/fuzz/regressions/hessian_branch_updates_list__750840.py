# ast_ad fuzz regression: hessian refused ast_ad's own first-order code (a list
# updated in place on one side of a branch in a loop)
# found by: tests/fuzz, program seed 750840 (python -m tests.fuzz --replay 750840), minimised by tests/fuzz/shrink.py
# observed when written:
#   [hess:x] refused_own_code: 'z1' was stored in a list whose elements ast_ad does not track
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/hessian_branch_updates_list__750840.py
import math
import numpy as np


def f(x, y, t):
    z1 = [1]
    for p0, p1 in zip(y, x):
        if t:
            a0 = z1
            a0[:] = p1
        else:
            x = np.stack([z1])
    return x.mean()


FUZZ_CASE = {
    'params': ['x', 'y', 't'],
    'args': ['np.array([[-1.0, -1.0, -0.5], [1.5, 1.0, -0.5]])', 'np.array([-0.5, -1.5])', '1.5'],
    'entries': ['hess:x', 'grad:int:x', 'jvp', 'vjp'],
    'observed': 'refused_own_code',
    'seed': 750840,
    'kind': 'scalar',
}
