# ast_ad fuzz regression: container argument with an element f never reads: IRError
# found by: tests/fuzz, program seed 20037 (python -m tests.fuzz --replay 20037), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [grad:int:ps] IRError: Var(_@9184) read before definition (at ast_ad/ir.py:263)
#   [vjp] IRError: Var(_@6208) read before definition (at ast_ad/ir.py:263)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/container_unread_element__30dd78ac.py
import math
import numpy as np


def f(ps):
    return ps[0] * ps[1]


FUZZ_CASE = {
    'params': ['ps'],
    'args': ['[0.5, -1.0, 1.5]'],
    'entries': ['grad:int:ps', 'vjp'],
    'observed': 'internal_error',
    'seed': 20037,
    'kind': 'scalar',
}
