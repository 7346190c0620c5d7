# ast_ad in-place planning: an adversarial case written by hand (objects
# updated in place in nested loops, kept in lists, swapped, iterated)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/inplace_restore_slice_adjoint.py
import math
import numpy as np


def f(x):
    a = x * 1.0
    for i in range(2):
        a[1:3] += a[0:2] * x[0]
        a[0] += a[2]
    return np.sum(a * a)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.3, -1.2, 0.5, 0.9])'],
    'entries': ['grad:int:x', 'grad:name:x', 'vg:int:x', 'regrad:x', 'grad:tuple:x', 'vjp', 'jvp'],
    'observed': 'none (written by hand)',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
