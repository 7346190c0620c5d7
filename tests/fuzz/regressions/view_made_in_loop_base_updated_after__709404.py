# ast_ad fuzz regression: a view made in a loop body, its base updated in place after the loop: value wrong
# found by: tests/fuzz, program seed 709404 (python -m tests.fuzz --replay 709404), minimised by tests/fuzz/shrink.py and by hand
# observed when written: wrong_value: the name still held the view's old value (now refused:
#   after the loop the name may be a view of the base, decided by whether the loop ran)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x):
    k0 = 0
    while k0 < 1:
        k0 += 1
        y = x[:, 1]
    x *= 3
    return np.sum(y) + x[0, 0]


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[0.762, -1.269], [1.303, -1.133], [-0.689, 0.783]])'],
    'entries': ['grad:name:x', 'vg:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 709404,
    'kind': 'scalar',
}
