# ast_ad fuzz regression: in-place update of an argument: vjp/jacobian(rev) mutate it and differentiate the mutated values
# found by: tests/fuzz, program seed 20057 (python -m tests.fuzz --replay 20057), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [vjp] argument x changed by the call
#   [vjp] argument x changed by the call
#   [vjp] vjp call 1 d/dx element 0: ast_ad np.float64(0.5), finite differences
#     np.float64(0.9999999999917482)
#   [jac:rev:x] argument x changed by the call
#   [jac:rev:x] J[x] element 0: ast_ad np.float64(0.5), finite differences
#     np.float64(0.9999999999917482)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/inplace_arg_vjp__f4627662.py
import math
import numpy as np


def f(x):
    x *= x
    return np.sum(x)


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([0.5, -1.0, 1.5])'],
    'entries': ['vjp', 'jac:rev:x'],
    'observed': 'wrong_grad',
    'seed': 20057,
    'kind': 'scalar',
}
