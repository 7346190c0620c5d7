# ast_ad fuzz regression: grad: np.std of an array whose elements are all equal gave rounding noise of order 1 as its derivative
# found by: tests/fuzz, program seed 825347 (python -m tests.fuzz --replay 825347, generator of 2026-12-02 morning), reduced by hand
# observed when written:
#   [grad:int:s] d/ds element 0: ast_ad -2.9964045817720315, finite differences 5.0000000000004405
#   (z0 - mean(z0) is rounding noise, and so is z0.std(): their quotient is noise of order 1;
#   the same family as seeds 711118, 763501, 788981)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/std_of_equal_elements_rounding_noise__825347.py
import math
import numpy as np


def f(s, n, t):
    sq0 = lambda t: t * t * t + t
    z0 = sq0(np.sqrt((s * np.ones((3, 2))) ** 2 + 0.5))
    z1 = np.maximum(np.dot(np.broadcast_to(t, (3, 3)), t * np.ones((3, 3))), np.exp(-np.prod(z0, axis=1, keepdims=True) ** 2))
    z2 = np.logaddexp(z1, np.reciprocal(z1.T ** 2 + 1.0) @ np.minimum(np.var(z1, axis=1, keepdims=True), s))
    return s + s + 2.0 * (n * 0.5 + s) + z0.std() + (t % 1.5 + +s)


FUZZ_CASE = {
    'params': ['s', 'n', 't'],
    'args': ['1.459', '2', '-0.945'],
    'entries': ['grad:int:s', 'grad:tuple:s,t', 'vjp', 'jvp', 'gradgrad:s'],
    'observed': 'wrong_grad',
    'seed': 825347,
    'kind': 'scalar',
}
