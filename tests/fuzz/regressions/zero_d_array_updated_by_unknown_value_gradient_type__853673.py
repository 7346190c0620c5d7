# ast_ad fuzz regression: hvp: a 0-d array argument updated in place by a value of unknown kind: the gradient came back a float
# found by: tests/fuzz, program seed 853673 (python -m tests.fuzz --replay 853673), minimised by tests/fuzz/shrink.py
# observed when written:
#   [hvp:x] hvp[x]: array argument float64(), gradient is float
#   (also grad: np.float64(3.0) for a 0-d array x; the aval of _ad.like(g, x)
#   with x of unknown kind was taken to be g's, so the final _ad.like(g, x)
#   of the parameter was dropped as doing nothing)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/zero_d_array_updated_by_unknown_value_gradient_type__853673.py
import math
import numpy as np


def h0(a):
    dd0 = {'p': np, 'q': a}
    return a.dot(dd0['q'])


def f(x, ps):
    x -= h0(sum([ps[0] for q0 in ps]))
    z0 = np.broadcast_to(x, 3)
    return np.sum(z0)


FUZZ_CASE = {
    'params': ['x', 'ps'],
    'args': ['np.array(0.5)', '[np.array([0.5, 0.5]), np.array([0.5, 1.0]), np.array([1.0, -1.0])]'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x', 'hvp:x'],
    'observed': 'bad_shape_or_dtype',
    'seed': 853673,
    'kind': 'scalar',
}
