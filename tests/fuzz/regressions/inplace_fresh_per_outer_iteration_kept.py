# ast_ad in-place planning: an adversarial case written by hand (objects
# updated in place in nested loops, kept in lists, swapped, iterated)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/inplace_fresh_per_outer_iteration_kept.py
import math
import numpy as np


def f(x, xs):
    keep = []
    for s in range(3):
        acc = [0.0, 0.0]
        for i in range(2):
            for j in range(2):
                if i != j:
                    acc[i] += x * xs[j] * (s + 1)
        keep.append(acc)
    return keep[0][0] + keep[1][1] * keep[2][0] + x * keep[2][1]


FUZZ_CASE = {
    'params': ['x', 'xs'],
    'args': ['0.7', '[0.3, -1.2]'],
    'entries': ['grad:int:x', 'grad:name:x', 'vg:int:x', 'regrad:x', 'grad:int:xs', 'grad:name:xs', 'vg:int:xs', 'regrad:xs', 'grad:tuple:x,xs', 'vjp', 'jvp', 'jac:rev:x', 'jac:fwd:x', 'hess:x', 'hvp:x', 'gradgrad:x'],
    'observed': 'none (written by hand)',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
