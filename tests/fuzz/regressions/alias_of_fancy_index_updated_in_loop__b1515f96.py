# ast_ad fuzz regression: an alias of x[[1, 0]] updated in place, x updated in a loop: the alias kept the old value
# found by: tests/fuzz, program seed 501172 (python -m tests.fuzz --replay 501172), minimised by tests/fuzz/shrink.py and by hand
# observed when written: wrong_value (see the title); now exact or a located refusal.
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x, n):
    x = x[[1, 0]]
    a0 = x
    a0 *= n
    k0 = 0
    while 2:
        k0 += 1
        x[1] += k0
        if np.prod(a0) + x.dot(x) < np.matmul(x, a0):
            return 0.5 * a0[-1] + -1.0 * x.sum() + n * 0.5
        x -= a0
    return 0.0


FUZZ_CASE = {
    'params': ['x', 'n'],
    'args': ['np.array([-0.828, 0.834, -0.141])', '2'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 501172,
    'kind': 'vector',
}
