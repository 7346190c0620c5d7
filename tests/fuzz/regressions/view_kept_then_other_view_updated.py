# ast_ad memory model: written by hand; when written, a view of an array kept in a
# list (or dict) filled in a loop did not see later in-place updates of the array
# (wrong value and gradient, no error); now a located refusal
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/view_kept_then_other_view_updated.py
import math
import numpy as np


def f(x):
    rows = []
    a = x * 1.0
    b = a[:2]
    for s in range(2):
        rows.append(a[1:])
        b += x[:2] * s
    return np.sum(rows[0] * rows[1])


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.3, -1.2, 0.5])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_value, wrong_grad',
    'seed': None,
    'kind': 'scalar',
}
