# ast_ad fuzz regression: hessian/grad(grad) w.r.t. a float with two nested loops: IRError Var(du) read before definition
# found by: tests/fuzz, program seed 20435 (python -m tests.fuzz --replay 20435), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hess:s] IRError: Var(du_1@3632) read before definition (at ast_ad/ir.py:263)
#   [gradgrad:s] IRError: Var(du_1@3008) read before definition (at ast_ad/ir.py:263)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/second_order_nested_loop__2a04fcd6.py
import math
import numpy as np


def f(s):
    u = s * s
    for i in range(2):
        for j in range(2):
            u = u - 1.0
    return u


FUZZ_CASE = {
    'params': ['s'],
    'args': ['1.0'],
    'entries': ['hess:s', 'gradgrad:s'],
    'observed': 'internal_error',
    'seed': 20435,
    'kind': 'scalar',
}
