# ast_ad outsider case (written without reading ast_ad's code): [a, 2a] * n: list repetition of differentiated values
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_list_repetition_active.py
import math
import numpy as np


def f(x, n):
    L = [x, 2.0 * x] * n
    t = 0.0
    for i in range(len(L)):
        t = t + L[i] * L[i] * (i + 1)
    return t


FUZZ_CASE = {
    'params': ['x', 'n'],
    'args': ['1.5', '3'],
    'entries': ['vjp', 'jvp', 'grad:int:x', 'hess:x', 'gradgrad:x'],
    'observed': 'refused',
    'seed': None,
    'kind': 'scalar',
    'must_not_refuse': True,
}
