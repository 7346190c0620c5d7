# ast_ad: written by hand from fuzz seed 925: the loop makes acc0 the element of its
# own head (acc0 = acc0[0]), which is x; x updated in place after the loop: wrong
# value and gradient; now refused
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/loop_head_element_then_updated__925b.py
import math
import numpy as np


def f(x):
    acc0 = [x]
    for i0 in range(1):
        acc0 = acc0[0]
    x *= 0.5
    z2 = np.full(3, 1.0)
    z2[:] = acc0
    return np.sum(z2 * z2)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, -1.0, 1.5])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_value, wrong_grad',
    'seed': 925,
    'kind': 'scalar',
}
