# ast_ad fuzz regression: a lambda bound after an early return is refused ('bound to different functions in the two branches')
# found by: tests/fuzz, program seed 20244 (python -m tests.fuzz --replay 20244), minimised by tests/fuzz/shrink.py and by hand
# observed when written:
#   [grad:int:s] refused: UnsupportedSyntaxError:
#     /tmp/ast_ad_fuzz_x14mub5s/fuzzprog_11649_105.py:6:5: 'sq' is bound to different functions or
#     modules in the two branches; this is not supported
#   [jvp] refused: UnsupportedSyntaxError: /tmp/ast_ad_fuzz_x14mub5s/fuzzprog_11649_105.py:6:5:
#     'sq' is bound to different functions or modules in the two branches; this is not supported
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/lambda_after_early_return__3be7015b.py
import math
import numpy as np


def f(s):
    if s > 0.0:
        return s
    sq = lambda t: t * t
    return sq(s)


FUZZ_CASE = {
    'params': ['s'],
    'args': ['-0.5'],
    'entries': ['grad:int:s', 'jvp'],
    'observed': 'refused',
    'seed': 20244,
    'kind': 'scalar',
    'must_not_refuse': True,
}
