"""Products written as einsum: ``np.tensordot``, ``np.inner`` and
``np.kron`` become the einsum they compute, worked out when the code is
made from the operands' numbers of axes.  They then share einsum's rules in
both modes and to any order, and the generated code shows the einsum
(``np.einsum('ij,jk->ik', a, b)`` for ``np.tensordot(a, b, 1)``).
Anything these cannot express exactly (unknown numbers of axes, repeated
axes) returns None, and the call keeps its own name (and a NoRuleError
when it is differentiated)."""
from __future__ import annotations

import numpy as np

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def tensordot_subscripts(nda: int, ndb: int, axes=2):
    """The einsum subscripts of ``np.tensordot(a, b, axes)``, or None."""
    try:
        if isinstance(axes, (int, np.integer)):
            n = int(axes)
            if n < 0 or n > min(nda, ndb):
                return None
            ax_a, ax_b = list(range(nda - n, nda)), list(range(n))
        else:
            ax_a, ax_b = axes
            ax_a = [ax_a] if isinstance(ax_a, (int, np.integer)) else list(ax_a)
            ax_b = [ax_b] if isinstance(ax_b, (int, np.integer)) else list(ax_b)
            ax_a = [int(i) % nda for i in ax_a]
            ax_b = [int(j) % ndb for j in ax_b]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if len(ax_a) != len(ax_b) or len(set(ax_a)) != len(ax_a) or len(set(ax_b)) != len(ax_b) \
            or nda + ndb > len(_LETTERS):
        return None
    sa = list(_LETTERS[:nda])
    fresh = iter(_LETTERS[nda:])
    sb = [sa[ax_a[ax_b.index(j)]] if j in ax_b else next(fresh) for j in range(ndb)]
    out = [sa[i] for i in range(nda) if i not in ax_a] + [sb[j] for j in range(ndb)
                                                         if j not in ax_b]
    return "".join(sa) + "," + "".join(sb) + "->" + "".join(out)


def inner_subscripts(nda: int, ndb: int):
    """``np.inner(a, b)``: the sum over the last axes (a product for a number)."""
    if nda == 0 or ndb == 0:
        return None
    return tensordot_subscripts(nda, ndb, ([-1], [-1]))


def kron_subscripts(nda: int, ndb: int):
    """``np.kron(a, b)`` for operands with the same number of axes: the
    einsum of the outer product with axes interleaved (the caller reshapes
    it to ``a.shape * b.shape``)."""
    if nda != ndb or 2 * nda > len(_LETTERS) or nda == 0:
        return None
    sa, sb = _LETTERS[:nda], _LETTERS[nda:2 * nda]
    return sa + "," + sb + "->" + "".join(x + y for x, y in zip(sa, sb))
