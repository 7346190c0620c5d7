# ast_ad in-place planning: an adversarial case written by hand (objects
# updated in place in nested loops, kept in lists, swapped, iterated)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/inplace_array_carry_through_inner_loops.py
import math
import numpy as np


def f(x):
    out = 0.0
    for s in range(2):
        a = np.zeros(3)
        for i in range(3):
            for j in range(3):
                a[i] += x[j] * x[i] * (s + 1)
        out = out + np.sum(a * a)
    return out


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.3, -1.2, 0.5])'],
    'entries': ['grad:int:x', 'grad:name:x', 'vg:int:x', 'regrad:x', 'grad:tuple:x', 'vjp', 'jvp'],
    'observed': 'none (written by hand)',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
