# ast_ad fuzz regression: an array updated in place at the top of each outer
# iteration was the object an inner loop had left on its tape in the previous
# iteration (wrong gradient and Hessian; a regression of this session's
# in-place planning change, fixed)
# found by: tests/fuzz, program seed 789562 (python -m tests.fuzz --replay 789562), minimised by tests/fuzz/shrink.py
# observed when written:
#   [grad:int:x] d/dx element 0: ast_ad 112.14845550945131, finite differences -1.0760834012549993
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/iterated_outer_carry_on_inner_tape__789562.py
import math
import numpy as np


def f(x, n):
    z1 = x
    for r0 in x:
        z1[:] -= 1.0
        for i0 in range(1):
            z1 /= (z1 * n) ** 2
    return z1[0, 0]


FUZZ_CASE = {
    'params': ['x', 'n'],
    'args': ['np.array([[1.018, -1.386, -0.5], [-1.283, 1.02, 1.255], [0.419, -0.392, -1.015]])', '1'],
    'entries': ['grad:int:x', 'jvp', 'vjp', 'hess:x'],
    'observed': 'wrong_grad',
    'seed': 789562,
    'kind': 'scalar',
}
