# ast_ad outsider case (written without reading ast_ad's code): [0.0] * n with n an int argument: vjp (which
# differentiates every argument) crashed in generated code (TypeError)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_vjp_int_list_repetition.py
import math
import numpy as np


def f(x, n):
    L = [0.0] * n
    L[0] = x
    return L[0] * 2.0 + L[-1]


FUZZ_CASE = {
    'params': ['x', 'n'],
    'args': ['1.5', '3'],
    'entries': ['vjp', 'jvp', 'grad:int:x', 'grad:tuple:x,n'],
    'observed': 'crash',
    'seed': None,
    'kind': 'scalar',
}
