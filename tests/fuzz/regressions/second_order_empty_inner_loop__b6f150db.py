# ast_ad fuzz regression: hessian/grad(grad): a loop nested in a loop whose body never runs: IRError
# found by: tests/fuzz, program seed 40341 (python -m tests.fuzz --replay 40341), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hess:t] IRError: Var(dt@8688) read before definition (at ast_ad/ir.py:263)
#   [gradgrad:t] IRError: Var(dt@8736) read before definition (at ast_ad/ir.py:263)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/second_order_empty_inner_loop__b6f150db.py
import math
import numpy as np


def f(t):
    for i in range(3):
        k = 0
        while k:
            t -= k
    return t * t


FUZZ_CASE = {
    'params': ['t'],
    'args': ['0.7'],
    'entries': ['hess:t', 'gradgrad:t'],
    'observed': 'internal_error',
    'seed': 40341,
    'kind': 'scalar',
}
