# ast_ad fuzz regression: two names swapped in a loop, one updated in place while a third name aliases an argument: value wrong
# found by: tests/fuzz, program seed 400135 (python -m tests.fuzz --replay 400135), minimised by hand
# observed when written:
#   [vg:int:w] value 0.1667 != plain Python 0.3333 (the update of w's object through y, in the second iteration, was lost)
# Now a located UnsupportedSyntaxError (y may be w's object from the previous iteration).
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(y, w, c):
    a0 = w
    for i0 in range(2):
        y *= 2.0
        if c > 5.0:
            break
        y, w = (w, y)
    return np.mean(a0)


FUZZ_CASE = {
    'params': ['y', 'w', 'c'],
    'args': ['np.array([0.5, -1.0, 1.0])', 'np.array([0.5, 1.0, -1.0])', '1.0'],
    'entries': ['vg:int:y', 'vg:tuple:y,w', 'jvp', 'vjp', 'hess:w'],
    'observed': 'wrong_value',
    'seed': 400135,
    'kind': 'vector',
}
