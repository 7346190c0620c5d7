# ast_ad outsider case (written without reading ast_ad's code): slices of a list argument concatenated: internal TypeError.
# When written: a wrong value or gradient with no error (E: an internal TypeError);
# now right, or a located refusal.
# Reference: plain Python on copies of the arguments and finite differences
# of it (tests/fuzz/check.py).  Run: python -m tests.fuzz --check-file tests/fuzz/regressions/outsider_e1_list_slice_concat.py
import math
import numpy as np


def f(lst):
    out = lst[1:] + lst[:1]
    return out[0]


FUZZ_CASE = {
    'params': ['lst'],
    'args': ['[0.5, 2.0, 3.0]'],
    'entries': ['grad:int:lst', 'vg:int:lst', 'vjp', 'jvp'],
    'observed': 'internal_error',
    'seed': None,
    'kind': 'scalar',
}
