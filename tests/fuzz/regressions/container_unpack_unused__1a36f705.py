# ast_ad fuzz regression: tuple unpacking of a list argument, one name unused: IRError
# found by: tests/fuzz, program seed 21655 (python -m tests.fuzz --replay 21655), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [vjp] IRError: Var(u1@9712) read before definition (at ast_ad/ir.py:263)
#   [grad:int:ps] IRError: Var(u1@5040) read before definition (at ast_ad/ir.py:263)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/container_unpack_unused__1a36f705.py
import math
import numpy as np


def f(ps):
    u0, u1 = ps
    return u0 * 2.0


FUZZ_CASE = {
    'params': ['ps'],
    'args': ['[-0.5, 1.0]'],
    'entries': ['vjp', 'grad:int:ps'],
    'observed': 'internal_error',
    'seed': 21655,
    'kind': 'scalar',
}
