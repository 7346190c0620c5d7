# ast_ad fuzz regression: two arrays swapped in a loop (y, x = x, y), one updated by item assignment: gradient wrong
# found by: tests/fuzz, program seed 703248 (python -m tests.fuzz --replay 703248), minimised by tests/fuzz/shrink.py
# observed when written: wrong_grad [grad:name:y] d/dy element 6: ast_ad 0.0, finite differences
#   0.0617 (the backward loop accumulated one adjoint in place into the object of the
#   other, swapped, carry, then rebound that carry's name before reading it)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(x, y):
    for i0 in range(3):
        y = y[[2, 0, 1]]
        y[2] = x[2]
        y, x = (x, y)
    acc0 = x
    z2 = acc0
    return np.var(z2)


FUZZ_CASE = {
    'params': ['x', 'y'],
    'args': ['np.array([[-1.0, -1.0, 1.5], [-0.5, -0.5, -1.0], [-1.0, 1.5, 0.5]])', 'np.array([[-1.0, 0.5, -1.5], [-1.0, 0.5, 0.5], [0.5, 0.5, -1.0]])'],
    'entries': ['grad:name:y', 'grad:tuple:x,y', 'vg:int:x', 'jvp', 'vjp', 'hess:x', 'hvp:y'],
    'observed': 'wrong_grad',
    'seed': 703248,
    'kind': 'scalar',
}
