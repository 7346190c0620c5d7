# ast_ad in-place planning: an adversarial case written by hand (objects
# updated in place in nested loops, kept in lists, swapped, iterated)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/inplace_array_view_of_fresh_kept.py
import math
import numpy as np


def f(x):
    rows = []
    for s in range(3):
        a = np.zeros(3)
        for i in range(3):
            a[i] += x[i] * (s + 1)
        rows.append(a[1:])
    return np.sum(rows[0] * rows[1]) + np.sum(rows[2])


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.3, -1.2, 0.5])'],
    'entries': ['grad:int:x', 'grad:name:x', 'vg:int:x', 'regrad:x', 'grad:tuple:x', 'vjp', 'jvp'],
    'observed': 'none (written by hand)',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
