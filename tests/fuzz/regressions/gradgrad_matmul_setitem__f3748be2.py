# ast_ad fuzz regression: grad(grad(f)) refused: no rule for matmul_grad_b / setitem_grad_x
# found by: tests/fuzz, program seed 40060 (python -m tests.fuzz --replay 40060), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [gradgrad:s] NoRuleError: <ast_ad reverse of f #147>:10:15: no derivative rule for
#     ast_ad.runtime.matmul_grad_b; declare one with ast_ad.defvjp(matmul_grad_b, ...) (see
#     ast_ad.primitive)     _t2 = _ad.matmul_grad_b(1.0, z1, z1)           ^
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/gradgrad_matmul_setitem__f3748be2.py
import math
import numpy as np


def f(s):
    z1 = np.zeros(3)
    z1[2] -= s
    return z1 @ z1


FUZZ_CASE = {
    'params': ['s'],
    'args': ['-1.0'],
    'entries': ['gradgrad:s'],
    'observed': 'refused_own_code',
    'seed': 40060,
    'kind': 'scalar',
}
