# ast_ad outsider case (written without reading ast_ad's code): max(range(n), key=lambda k: xs[k]): the generated code
# called ast_ad's own LocalFunction object (TypeError); now a located refusal
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_max_key_lambda.py
import math
import numpy as np


def f(x, xs):
    i = max(range(len(xs)), key=lambda k: xs[k])
    return xs[i] * x


FUZZ_CASE = {
    'params': ['x', 'xs'],
    'args': ['0.5', '[1.0, 3.0, 2.0]'],
    'entries': ['grad:tuple:x,xs', 'vjp', 'jvp'],
    'observed': 'crash',
    'seed': None,
    'kind': 'scalar',
}
