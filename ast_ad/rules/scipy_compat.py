"""SciPy's array-API plumbing, so that SciPy's own NumPy functions (e.g.
``scipy.optimize.rosen``) can be differentiated from their source.

SciPy functions start with ``xp = array_namespace(x)`` and
``x = xp_promote(x, force_floating=True, xp=xp)`` (SciPy >= 1.16), or with
``x = xp.asarray(x)`` and ``xp.astype(x, ...)`` for integer input (SciPy
1.15).  For the NumPy arrays and numbers ast_ad differentiates, the
namespace is NumPy itself (decided when the code is made), promotion is the
identity on float arrays (a differentiable primitive whose adjoint is the
identity), and ``np.astype`` (NumPy >= 2.1) is a cast like ``np.asarray``
with a dtype.
"""
import numpy as np

from .. import runtime as _ad
from . import STATIC_CALLS, vjp, jvp

try:
    from scipy._lib import _array_api
except Exception:   # SciPy absent or reorganised: nothing to register
    _array_api = None
# (each looked up on its own: SciPy 1.15, the newest on Python 3.10, has
# array_namespace but not xp_promote)
array_namespace = getattr(_array_api, "array_namespace", None)
xp_promote = getattr(_array_api, "xp_promote", None)

if array_namespace is not None:
    STATIC_CALLS[array_namespace] = lambda *args, **kwargs: np

if xp_promote is not None:
    @vjp(xp_promote)
    def _xp_promote(g, ans, x, broadcast=False, force_floating=False, xp=None):
        return g

    @jvp(xp_promote)
    def _xp_promote_jvp(dx, ans, x, broadcast=False, force_floating=False, xp=None):
        return dx


_np_astype = getattr(np, "astype", None)

if _np_astype is not None:
    @vjp(_np_astype)
    def _astype(g, ans, x, dtype, copy=True, device=None):
        return _ad.array_grad(g, x)

    @jvp(_np_astype)
    def _astype_jvp(dx, ans, x, dtype, copy=True, device=None):
        return np.asarray(dx, dtype)
