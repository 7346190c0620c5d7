# ast_ad fuzz regression: grad(grad(f)) refused: no rule for ast_ad.runtime.maxmin_grad / norm_grad / var_grad
# found by: tests/fuzz, program seed 40004 (python -m tests.fuzz --replay 40004), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [gradgrad:s] NoRuleError: <ast_ad reverse of f #146>:15:15: no derivative rule for
#     ast_ad.runtime.maxmin_grad; declare one with ast_ad.defvjp(maxmin_grad, ...) (see
#     ast_ad.primitive)     _t8 = _ad.maxmin_grad(_t4, _t1, s, None, False)           ^
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/gradgrad_runtime_rules__1521700f.py
import math
import numpy as np


def f(s):
    return np.max(s) + np.linalg.norm(s) * s


FUZZ_CASE = {
    'params': ['s'],
    'args': ['1.5'],
    'entries': ['gradgrad:s'],
    'observed': 'refused_own_code',
    'seed': 40004,
    'kind': 'scalar',
}
