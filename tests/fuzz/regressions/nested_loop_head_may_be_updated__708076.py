# ast_ad fuzz regression: a name bound to an array in nested loops, then the array updated in place after them: value wrong
# found by: tests/fuzz, program seed 708076 (python -m tests.fuzz --replay 708076), minimised by tests/fuzz/shrink.py
# observed when written: wrong_value [jvp] value 0.8498 != plain Python 0.0 (the objects an
#   inner loop's head may be were not followed out of the outer loop; now refused)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x):
    for i0 in range(2):
        k0 = 0
        while k0 < 2:
            k0 += 1
            z0 = x
    a1 = z0
    x -= x
    return a1.std()


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[0.5, 1.5, 0.5], [1.5, 1.0, -1.0], [1.5, -0.5, 1.0]])'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 708076,
    'kind': 'scalar',
}
