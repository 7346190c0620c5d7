# ast_ad fuzz regression: a list that holds the argument, carried through a loop (acc = acc + [y]), its elements updated in place: value wrong
# found by: tests/fuzz, program seed 400946 (python -m tests.fuzz --replay 400946), minimised by tests/fuzz/shrink.py
# observed when written:
#   [jvp] value -1.667 != plain Python -3.667 (the updates of y through the list were lost)
# Now a located UnsupportedSyntaxError (the list's elements are not tracked one by one).
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(y):
    acc1 = []
    for i2 in range(3):
        for p1 in acc1:
            p1 -= 1.0
        acc1 = acc1 + [y]
    z2 = acc1[1]
    return z2.mean()


FUZZ_CASE = {
    'params': ['y'],
    'args': ['np.array([[-1.5, -1.0, 0.5]])'],
    'entries': ['vg:int:y', 'jvp', 'vjp', 'hess:y'],
    'observed': 'wrong_value',
    'seed': 400946,
    'kind': 'vector',
}
