# ast_ad memory model: written by hand; when written, a view of an array kept in a
# list (or dict) filled in a loop did not see later in-place updates of the array
# (wrong value and gradient, no error); now a located refusal
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/view_kept_in_branch_then_base_updated.py
import math
import numpy as np


def f(x):
    a = x * 2.0
    keep = []
    for s in range(3):
        if s % 2 == 0:
            keep.append(a[1:])
        else:
            a += x
    return np.sum(keep[0] * keep[1])


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.3, -1.2, 0.5])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_value, wrong_grad',
    'seed': None,
    'kind': 'scalar',
}
