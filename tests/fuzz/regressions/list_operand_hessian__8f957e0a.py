# ast_ad fuzz regression: np.maximum(t, [0.0]) with a list operand: generated code compares float >= list
# found by: tests/fuzz, program seed 21187 (python -m tests.fuzz --replay 21187), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hess:t] TypeError: '>=' not supported between instances of 'float' and 'list' (at <ast_ad
#     forward of f #155>:7: _t3 = t >= _t1)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/list_operand_hessian__8f957e0a.py
import math
import numpy as np


def f(t):
    return np.sum(np.maximum(t, [0.0])) * t


FUZZ_CASE = {
    'params': ['t'],
    'args': ['1.0'],
    'entries': ['hess:t'],
    'observed': 'generated_code_crash',
    'seed': 21187,
    'kind': 'scalar',
}
