# ast_ad fuzz regression: grad/hessian: the adjoint of np.concatenate splits g into views of it, then g was updated in place
# found by: tests/fuzz, program seed 814481 (python -m tests.fuzz --replay 814481), minimised by tests/fuzz/shrink.py
# observed when written:
#   [grad:int:x] d/dx element 0: ast_ad -15.13580247, finite differences -11.07407407
#   (ba0[:, :2] += _t3[1] changed _t3[0], a view of ba0, before it was added)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/concatenate_grad_pieces_are_views__814481.py
import math
import numpy as np


def f(x):
    z4 = x
    a0 = x
    a0 += np.concatenate([x[:, 0:1], x[:, :2]], axis=1)
    return np.var(z4) + np.sum(a0) ** 2


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[1.0, -1.5, -1.5], [0.5, -0.5, -1.5], [1.0, -1.5, 0.5]])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x', 'hvp:x', 'jac:rev:x', 'jac:fwd:x'],
    'observed': 'wrong_grad',
    'seed': 814481,
    'kind': 'scalar',
}
