# ast_ad fuzz regression: a row view updated in place and assigned to itself in a loop: Hessian refused
# found by: tests/fuzz, program seed 600769 (python -m tests.fuzz --replay 600769), minimised by hand
# observed when written: refused_own_code [hess:s] 'r_1' was stored in a list whose elements
#   ast_ad does not track -- the gradient code's `r_1[:] = r_1` into an array whose aval
#   was only "a number or an array" was taken for a store into a list
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x, s):
    z = np.full((2, 3), 3.0)
    z[0] *= s
    for i in range(2):
        a = z
        a *= x
        for r in a:
            r += s
            r[:] = r
    return np.sum(z) * s


FUZZ_CASE = {
    'params': ['x', 's'],
    'args': ['np.array([0.5, 1.5, -0.5])', '0.7'],
    'entries': ['vg:int:s', 'vg:tuple:x,s', 'jvp', 'vjp', 'hess:s', 'hvp:s', 'gradgrad:s'],
    'observed': 'refused_own_code',
    'seed': 600769,
    'kind': 'scalar',
}
