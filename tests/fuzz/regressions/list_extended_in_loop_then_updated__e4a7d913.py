# ast_ad fuzz regression: acc += [x] in a loop that also updates x in place: gradient wrong
# found by: tests/fuzz, program seed 602210 (python -m tests.fuzz --replay 602210), minimised by tests/fuzz/shrink.py
# observed when written: wrong_grad / wrong_value (the list's copies of x missed the updates)
# Now a located UnsupportedSyntaxError (x is stored in a list whose elements are not tracked).
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x):
    acc0 = [x]
    for i0 in range(2):
        x -= 1.0
        acc0 += [x]
    z0 = np.stack(acc0)
    x = z0
    return x.mean()


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[1.0, 0.5], [-1.0, 0.5], [1.5, 0.5]])'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 602210,
    'kind': 'vector',
}
