# ast_ad fuzz regression: dict argument with a key f never reads: IRError (also for wrt=t)
# found by: tests/fuzz, program seed 20022 (python -m tests.fuzz --replay 20022), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [grad:int:d] IRError: Var(_@2816) read before definition (at ast_ad/ir.py:263)
#   [jac:rev:t] IRError: Var(_@608) read before definition (at ast_ad/ir.py:263)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/container_unread_dict_key__f26ec071.py
import math
import numpy as np


def f(d, t):
    return d['b'] * t


FUZZ_CASE = {
    'params': ['d', 't'],
    'args': ["{'w': 0.5, 'b': np.array([1.0, -0.5])}", '0.7'],
    'entries': ['grad:int:d', 'jac:rev:t'],
    'observed': 'internal_error',
    'seed': 20022,
    'kind': 'scalar',
}
