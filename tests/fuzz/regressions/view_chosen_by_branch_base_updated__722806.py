# ast_ad fuzz regression: a view of an array chosen by a conditional expression, then the array updated in place: value wrong
# found by: tests/fuzz, program seed 722806 (python -m tests.fuzz --replay 722806), minimised by tests/fuzz/shrink.py and by hand
# observed when written: wrong_value [jvp] value 1.0 != plain Python 0.0 (the merge of the two
#   sides was not followed from the view of it, and the views a side chose were not read
#   again when their base changed; now refused)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def h0(a, c=1.0):
    u0 = c
    return ((a.reshape(-1) if u0 else a)[1:], np)


def f(d, x):
    u1, u2 = h0(x, d['w'].reshape(3, 2)[0][1])
    a0 = x
    a0[0] -= 1.0
    v = x[0] if d['b'] > 0.0 else x[0, :2]
    x[0, 0] += 2.0
    return np.sum(u1) + np.sum(v)


FUZZ_CASE = {
    'params': ['d', 'x'],
    'args': ["{'w': np.array([[0.5, -1.0, -1.0], [1.0, -1.0, 1.5]]), 'b': 0.5}", 'np.array([[-0.5, 1.0, -0.5]])'],
    'entries': ['grad:int:x', 'vg:tuple:d,x', 'jvp', 'vjp'],
    'observed': 'wrong_value',
    'seed': 722806,
    'kind': 'scalar',
}
