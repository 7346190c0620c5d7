# ast_ad fuzz regression: an inner loop updated in place the object an outer loop
# carried from its start, while the backward sweep still read that object's first
# value (wrong vjp and Jacobian; a regression of in-place planning, fixed)
# found by: tests/fuzz, program seed 760929 (python -m tests.fuzz --replay 760929), minimised by tests/fuzz/shrink.py
# observed when written:
#   [jac:rev:x] J[x] element 0: ast_ad 6.43656365691809, finite differences 2.0
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/inner_loop_takes_over_object_read_later__760929.py
import math
import numpy as np


def f(x):
    z4 = np.logaddexp(x, x)
    z5 = z4
    z6 = z5 + x
    for r0 in z5:
        for i1 in range(1):
            z4[:] = i1
    return z4 + z6


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[1.0], [0.5], [-0.5]])'],
    'entries': ['jac:rev:x', 'jvp', 'vjp'],
    'observed': 'wrong_grad',
    'seed': 760929,
    'kind': 'vector',
}
