# ast_ad in-place planning: an adversarial case written by hand (objects
# updated in place in nested loops, kept in lists, swapped, iterated)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/inplace_swap_through_inner_loop.py
import math
import numpy as np


def f(x, xs):
    a = [0.0, 0.0]
    b = [1.0, 1.0]
    for s in range(3):
        for i in range(2):
            a[i] += b[i] * x + xs[i]
        a, b = b, a
    return a[0] * b[1] + a[1]


FUZZ_CASE = {
    'params': ['x', 'xs'],
    'args': ['0.7', '[0.3, -1.2]'],
    'entries': ['grad:int:x', 'grad:name:x', 'vg:int:x', 'regrad:x', 'grad:int:xs', 'grad:name:xs', 'vg:int:xs', 'regrad:xs', 'grad:tuple:x,xs', 'vjp', 'jvp', 'jac:rev:x', 'jac:fwd:x', 'hess:x', 'hvp:x', 'gradgrad:x'],
    'observed': 'none (written by hand)',
    'seed': None,
    'kind': 'scalar',
}
