# ast_ad fuzz regression: grad of grad w.r.t. a float next to a tuple argument: the generated code crashed
# found by: tests/fuzz, program seed 737638 (python -m tests.fuzz --replay 737638), minimised by tests/fuzz/shrink.py
# observed when written: generated_code_crash [gradgrad:t] NameError: name '_t1' is not defined
#   (the result read by the deferred element check was folded into the check, and the
#   return then named a temporary that no longer existed)
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).
import math
import numpy as np


def f(tp, s, t):
    s /= t
    return 2.0 * s + t


FUZZ_CASE = {
    'params': ['tp', 's', 't'],
    'args': ['(0.5, 1.5, -1.5)', '0.5', '1.0'],
    'entries': ['gradgrad:t', 'grad:int:t', 'hess:t', 'vg:tuple:s,t'],
    'observed': 'generated_code_crash',
    'seed': 737638,
    'kind': 'scalar',
}
