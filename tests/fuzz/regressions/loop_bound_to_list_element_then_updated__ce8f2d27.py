# ast_ad fuzz regression: a name bound in a loop to an element of a list holding the argument, updated after the loop: value wrong
# found by: tests/fuzz, program seed 401807 (python -m tests.fuzz --replay 401807), minimised by tests/fuzz/shrink.py and by hand
# observed when written: wrong_value (see the title); now exact or a located refusal.
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x):
    ls0 = [x for q0 in x]
    for i1 in range(1):
        x = ls0[1]
    x *= ls0[1]
    z2 = ls0[1]
    return z2.mean()


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([1.5, 1.0])'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 401807,
    'kind': 'vector',
}
