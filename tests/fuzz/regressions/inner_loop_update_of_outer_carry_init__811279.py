# ast_ad fuzz regression: vjp/jacobian: an array updated in an inner loop, carried by the outer loop, read again by the backward sweep
# found by: tests/fuzz, program seed 811279 (python -m tests.fuzz --replay 811279), minimised by tests/fuzz/shrink.py
# observed when written:
#   [jac:rev:y] J[y] element 0: ast_ad 1.3346952402226449, finite differences 2.4999999999941735
# (the inner loop took over the outer carry's object in place, which at first
# is `z0` itself, still read by logaddexp's adjoint)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/inner_loop_update_of_outer_carry_init__811279.py
import math
import numpy as np


def f(s, y):
    z0 = np.logaddexp(y, s)
    acc0 = [y]
    for i0 in range(3):
        for i1 in range(3):
            z0[i1] += s
        acc0 += [np.mean(np.sum(z0, keepdims=True))]
    return sum([q0 for q0 in acc0])


FUZZ_CASE = {
    'params': ['s', 'y'],
    'args': ['0.5', 'np.array([[0.5], [-1.0], [0.5]])'],
    'entries': ['jac:rev:y', 'jac:rev:s', 'vjp', 'jvp', 'jac:fwd:y'],
    'observed': 'wrong_grad',
    'seed': 811279,
    'kind': 'array',
}
