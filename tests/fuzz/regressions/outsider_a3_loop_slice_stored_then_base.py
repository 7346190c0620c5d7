# ast_ad outsider case (written without reading ast_ad's code): a slice with run-time bounds taken as a copy, not a view.
# When written: a wrong value or gradient with no error (E: an internal TypeError);
# now right, or a located refusal.
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_a3_loop_slice_stored_then_base.py
import math
import numpy as np


def f(x):
    a = x * 1.0
    h = []
    for i in range(1):
        h.append(a[i:])
    a[0] = 7.0
    return h[0][0]


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, 2.0])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x'],
    'observed': 'wrong_value, wrong_grad',
    'seed': None,
    'kind': 'scalar',
}
