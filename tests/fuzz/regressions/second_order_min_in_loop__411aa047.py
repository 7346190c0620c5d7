# ast_ad fuzz regression: hessian of min() in a loop: no forward rule for ast_ad's own _minimum
# found by: tests/fuzz, program seed 20115 (python -m tests.fuzz --replay 20115), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [hess:s] NoRuleError: <ast_ad reverse of f #145>:8:18: no forward-mode derivative rule for
#     ast_ad.rules.jvp_rules._minimum; declare one with ast_ad.defjvp(_minimum, ...) (see
#     ast_ad.primitive)     ds = _minimum(ds, None, s_2, s_1, 1.5)          ^
#   [hvp:s] NoRuleError: <ast_ad reverse of f #145>:8:18: no forward-mode derivative rule for
#     ast_ad.rules.jvp_rules._minimum; declare one with ast_ad.defjvp(_minimum, ...) (see
#     ast_ad.primitive)     ds = _minimum(ds, None, s_2, s_1, 1.5)          ^
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/second_order_min_in_loop__411aa047.py
import math
import numpy as np


def f(s):
    for i0 in range(1):
        s = min(s, 1.5)
    return s * s


FUZZ_CASE = {
    'params': ['s'],
    'args': ['-1.0'],
    'entries': ['hess:s', 'hvp:s'],
    'observed': 'refused_own_code',
    'seed': 20115,
    'kind': 'scalar',
}
