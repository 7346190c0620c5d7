# ast_ad fuzz regression: jac:fwd: wrong Jacobian (forward mode): the tangent of
# `x - 1.0` is the tangent of x itself; stored in a list, it was then updated in
# place by the tangent of `x[i] = 0` (make_list counted as keeping nothing)
# found by: tests/fuzz, program seed 747664 (python -m tests.fuzz --replay 747664), minimised by tests/fuzz/shrink.py
# observed when written:
#   [jac:fwd:x] J[x] element 6: ast_ad 0.0, finite differences -0.11862137654805593
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/tangent_stored_then_updated__747664.py
import math
import numpy as np


def f(x):
    x *= x
    acc0 = []
    acc0.append(x - 1.0)
    for i0 in range(2):
        x[i0] = 0
        acc0 += [3]
    return np.power(np.linalg.norm(acc0[0]), x)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[0.5], [-0.5], [0.5]])'],
    'entries': ['jac:fwd:x', 'jac:rev:x', 'jvp', 'vjp'],
    'observed': 'wrong_grad',
    'seed': 747664,
    'kind': 'vector',
}
