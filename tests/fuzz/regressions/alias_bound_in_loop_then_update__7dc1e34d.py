# ast_ad fuzz regression: a name bound inside a loop to an alias of the argument; the argument then updated in place after the loop
# found by: tests/fuzz, program seed 924 (python -m tests.fuzz --replay 924), minimised by hand
import math
import numpy as np


def f(x):
    k0 = 0
    while k0 < 3:
        k0 += 1
        for r0 in x:
            z1 = x
    a0 = x
    a0 *= k0 * 0.5
    return np.sum(a0 * x)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([-0.745, 0.386, -1.368])'],
    'entries': ['vg:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_value',
    'seed': 924,
    'kind': 'vector',
}
