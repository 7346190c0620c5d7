# ast_ad in-place planning and memory model: written by hand; when written, views
# of an array appended to a list in a loop did not see later updates of the array
# (wrong gradient and jvp value, no error); now a located refusal
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/inplace_same_array_view_kept.py
import math
import numpy as np


def f(x):
    rows = []
    a = np.zeros(3)
    for s in range(3):
        for i in range(3):
            a[i] += x[i] * (s + 1)
        rows.append(a[1:])
    return np.sum(rows[0] * rows[1]) + np.sum(rows[2] * x[1:])


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.3, -1.2, 0.5])'],
    'entries': ['grad:int:x', 'grad:name:x', 'vg:int:x', 'regrad:x', 'grad:tuple:x', 'vjp', 'jvp'],
    'observed': 'wrong_grad, wrong_value (vjp, jvp, grad: views of the array kept in the list, then the array updated)',
    'seed': None,
    'kind': 'scalar',
}
