# ast_ad fuzz regression: grad: a view of an array updated in place, carried into the next iteration and kept on its tape
# found by: tests/fuzz, program seed 785654 (python -m tests.fuzz --replay 785654, generator of 2026-12-02), minimised by tests/fuzz/shrink.py, values by hand
# observed when written:
#   [grad:int:x] d/dx element 0: ast_ad 1588474.52, finite differences 103.66
#   (z2 = x.T re-read after x[:] = ... was taped, then changed by the next iteration's x[:] = ...;
#   the fuzz found it as a Hessian refusing ast_ad's own code)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/view_carried_to_next_iteration_taped__785654.py
import math
import numpy as np


def f(x):
    z2 = np.transpose(x)
    for i1 in range(3):
        a0 = x
        a0[:] = np.prod(z2)
    return x[0, 0]


FUZZ_CASE = {
    'params': ['x'],
    'args': ['np.array([[1.01, 1.0, 1.02], [0.99, 1.0, 1.01]])'],
    'entries': ['grad:int:x', 'vg:int:x', 'vjp', 'jvp', 'hess:x', 'hvp:x', 'jac:rev:x', 'jac:fwd:x'],
    'observed': 'wrong_grad',
    'seed': 785654,
    'kind': 'scalar',
    'must_not_refuse': True,
}
