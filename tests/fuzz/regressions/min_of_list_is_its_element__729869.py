# ast_ad fuzz regression: the builtin min of a list is its element (the same object), then updated in place: value wrong
# found by: tests/fuzz, program seed 729869 (python -m tests.fuzz --replay 729869), minimised by tests/fuzz/shrink.py
# observed when written: wrong_value [vg:int:x] value 1.5 != plain Python 0.75 (min/max were
#   taken for functions making a new value; the 0-d array they returned is the argument
#   itself, so u0 *= u0 changed x; now refused)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x):
    acc0 = []
    acc0.append(x)
    u0 = min(acc0)
    u0 *= u0
    u0 = np.dot(x * np.ones(3), np.ones(3))
    u2 = u0
    return u2


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array(0.5)'],
    'entries': ['vg:int:x', 'grad:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 729869,
    'kind': 'scalar',
}
