# ast_ad fuzz regression: a list built from the same array (a helper returning its argument), its elements updated in place: value wrong
# found by: tests/fuzz, program seed 201155 (python -m tests.fuzz --replay 201155), minimised by hand
# observed when written:
#   [vg:int:x] value -2.196 != plain Python -3.696 (the update was applied to a copy, once)
# Now a located UnsupportedSyntaxError (the list's elements are not tracked one by one).
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def h0(a):
    return a


def f(x):
    ls0 = [h0(x) for q0 in range(2)]
    for p0 in ls0:
        p0 -= 0.5
    return float(ls0[0]) + x


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array(-0.848)'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 201155,
    'kind': 'scalar',
}
