"""Rules (reverse and forward) for scipy.special: the log-sum-exp, softmax
and log_softmax, the gamma family, the error functions, the normal cdf and
its inverse, the logistic function, and more elementwise functions (i0,
entr, exp2, cbrt, sine and cosine of degrees, ...).

Each derivative is written with functions that have rules themselves
(gammaln' = digamma, digamma' = polygamma(1, .), polygamma(n, .)' =
polygamma(n + 1, .)), so second derivatives work too.  Nothing is
registered when SciPy is absent.
"""
import math

import numpy as np

from .. import runtime as _ad
from . import vjp, jvp

try:
    from scipy import special as _sp
except Exception:   # SciPy is optional
    _sp = None

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SQRT_PI_OVER_TWO = math.sqrt(math.pi) / 2.0
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_LOG2 = math.log(2.0)
_LOG10 = math.log(10.0)
_DEGREE = math.pi / 180.0
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

if _sp is not None:
    # ------------------------------------------------------------ logsumexp

    @vjp(_sp.logsumexp)
    def _logsumexp(g, ans, a, axis=None, b=None, keepdims=False, return_sign=False):
        if b is not None or return_sign:
            _ad.refuse("scipy.special.logsumexp is differentiated without b= and "
                       "return_sign=True; write the sum out with np.exp and np.log")
        # the adjoint spread over `a`, times the softmax of `a`
        spread = _ad.broadcast_to_shape(g, a, axis, keepdims)
        return spread * np.exp(a - _ad.broadcast_to_shape(ans, a, axis, keepdims))

    @jvp(_sp.logsumexp)
    def _logsumexp_jvp(da, ans, a, axis=None, b=None, keepdims=False, return_sign=False):
        if b is not None or return_sign:
            _ad.refuse("scipy.special.logsumexp is differentiated without b= and "
                       "return_sign=True; write the sum out with np.exp and np.log")
        weights = np.exp(a - _ad.broadcast_to_shape(ans, a, axis, keepdims))
        return np.sum(weights * da, axis=axis, keepdims=keepdims)

    # ------------------------------------------------------ the gamma family

    @vjp(_sp.gammaln)
    def _gammaln(g, ans, x):
        return g * _sp.digamma(x)

    @jvp(_sp.gammaln)
    def _gammaln_jvp(dx, ans, x):
        return dx * _sp.digamma(x)

    # (math's log gamma and gamma of a number: their derivatives need
    # scipy.special's digamma)
    @vjp(math.lgamma)
    def _lgamma(g, ans, x):
        return g * _sp.digamma(x)

    @jvp(math.lgamma)
    def _lgamma_jvp(dx, ans, x):
        return dx * _sp.digamma(x)

    @vjp(math.gamma)
    def _gamma(g, ans, x):
        return g * ans * _sp.digamma(x)

    @jvp(math.gamma)
    def _gamma_jvp(dx, ans, x):
        return dx * ans * _sp.digamma(x)

    @vjp(_sp.digamma)
    def _digamma(g, ans, x):
        return g * _sp.polygamma(1, x)

    @jvp(_sp.digamma)
    def _digamma_jvp(dx, ans, x):
        return dx * _sp.polygamma(1, x)

    @vjp(_sp.polygamma)
    def _polygamma(g, ans, n, x):
        return None, g * _sp.polygamma(n + 1, x)

    @jvp(_sp.polygamma)
    def _polygamma_jvp(dn, dx, ans, n, x):
        if dx is None:
            return None
        return dx * _sp.polygamma(n + 1, x)

    @vjp(_sp.betaln)
    def _betaln(g, ans, a, b):
        both = _sp.digamma(a + b)
        return (_ad.unbroadcast(g * (_sp.digamma(a) - both), a),
                _ad.unbroadcast(g * (_sp.digamma(b) - both), b))

    @jvp(_sp.betaln)
    def _betaln_jvp(da, db, ans, a, b):
        both = _sp.digamma(a + b)
        if db is None:
            return da * (_sp.digamma(a) - both)
        if da is None:
            return db * (_sp.digamma(b) - both)
        return da * (_sp.digamma(a) - both) + db * (_sp.digamma(b) - both)

    # ------------------------------------------------------ error functions

    @vjp(_sp.erf)
    def _erf(g, ans, x):
        return g * _TWO_OVER_SQRT_PI * np.exp(-(x * x))

    @jvp(_sp.erf)
    def _erf_jvp(dx, ans, x):
        return dx * _TWO_OVER_SQRT_PI * np.exp(-(x * x))

    @vjp(_sp.erfc)
    def _erfc(g, ans, x):
        return -(g * _TWO_OVER_SQRT_PI * np.exp(-(x * x)))

    @jvp(_sp.erfc)
    def _erfc_jvp(dx, ans, x):
        return -(dx * _TWO_OVER_SQRT_PI * np.exp(-(x * x)))

    # (erfcx(x) = exp(x**2) erfc(x), finite where erfc underflows)
    @vjp(_sp.erfcx)
    def _erfcx(g, ans, x):
        return g * (2.0 * x * ans - _TWO_OVER_SQRT_PI)

    @jvp(_sp.erfcx)
    def _erfcx_jvp(dx, ans, x):
        return dx * (2.0 * x * ans - _TWO_OVER_SQRT_PI)

    # the standard normal cdf and its log (norm.cdf and norm.logcdf call them)
    @vjp(_sp.ndtr)
    def _ndtr(g, ans, x):
        return g * _INV_SQRT_2PI * np.exp(-0.5 * (x * x))

    @jvp(_sp.ndtr)
    def _ndtr_jvp(dx, ans, x):
        return dx * _INV_SQRT_2PI * np.exp(-0.5 * (x * x))

    # (the slope pdf / cdf, as the exp of a difference of logs: finite in
    # both tails, where pdf and cdf underflow)
    @vjp(_sp.log_ndtr)
    def _log_ndtr(g, ans, x):
        return g * (_INV_SQRT_2PI * np.exp(-0.5 * (x * x) - ans))

    @jvp(_sp.log_ndtr)
    def _log_ndtr_jvp(dx, ans, x):
        return dx * (_INV_SQRT_2PI * np.exp(-0.5 * (x * x) - ans))

    @vjp(_sp.erfinv)
    def _erfinv(g, ans, x):
        return g * _SQRT_PI_OVER_TWO * np.exp(ans * ans)

    @jvp(_sp.erfinv)
    def _erfinv_jvp(dx, ans, x):
        return dx * _SQRT_PI_OVER_TWO * np.exp(ans * ans)

    # ------------------------------------------------- the logistic function

    @vjp(_sp.expit)
    def _expit(g, ans, x):
        return g * ans * (1.0 - ans)

    @jvp(_sp.expit)
    def _expit_jvp(dx, ans, x):
        return dx * ans * (1.0 - ans)

    @vjp(_sp.logit)
    def _logit(g, ans, x):
        return g / (x * (1.0 - x))

    @jvp(_sp.logit)
    def _logit_jvp(dx, ans, x):
        return dx / (x * (1.0 - x))

    # ------------------------------------------------------- x log y

    @vjp(_sp.xlogy)
    def _xlogy(g, ans, x, y):
        return _ad.unbroadcast(g * np.log(y), x), _ad.unbroadcast(g * x / y, y)

    @jvp(_sp.xlogy)
    def _xlogy_jvp(dx, dy, ans, x, y):
        if dy is None:
            return dx * np.log(y)
        if dx is None:
            return dy * x / y
        return dx * np.log(y) + dy * x / y

    @vjp(_sp.xlog1py)
    def _xlog1py(g, ans, x, y):
        return _ad.unbroadcast(g * np.log1p(y), x), _ad.unbroadcast(g * x / (1.0 + y), y)

    @jvp(_sp.xlog1py)
    def _xlog1py_jvp(dx, dy, ans, x, y):
        if dy is None:
            return dx * np.log1p(y)
        if dx is None:
            return dy * x / (1.0 + y)
        return dx * np.log1p(y) + dy * x / (1.0 + y)

    # ----------------------------------------- more elementwise functions

    @vjp(_sp.gamma)
    def _sp_gamma(g, ans, x):
        return g * ans * _sp.digamma(x)

    @jvp(_sp.gamma)
    def _sp_gamma_jvp(dx, ans, x):
        return dx * ans * _sp.digamma(x)

    @vjp(_sp.loggamma)
    def _loggamma(g, ans, x):
        return g * _sp.digamma(x)

    @jvp(_sp.loggamma)
    def _loggamma_jvp(dx, ans, x):
        return dx * _sp.digamma(x)

    # (the inverse of ndtr: 1 / ndtr'(ans))
    @vjp(_sp.ndtri)
    def _ndtri(g, ans, x):
        return g * _SQRT_2PI * np.exp(0.5 * (ans * ans))

    @jvp(_sp.ndtri)
    def _ndtri_jvp(dx, ans, x):
        return dx * _SQRT_2PI * np.exp(0.5 * (ans * ans))

    @vjp(_sp.log_expit)
    def _log_expit(g, ans, x):
        return g * _sp.expit(-x)

    @jvp(_sp.log_expit)
    def _log_expit_jvp(dx, ans, x):
        return dx * _sp.expit(-x)

    @vjp(_sp.erfcinv)
    def _erfcinv(g, ans, x):
        return -(g * _SQRT_PI_OVER_TWO * np.exp(ans * ans))

    @jvp(_sp.erfcinv)
    def _erfcinv_jvp(dx, ans, x):
        return -(dx * _SQRT_PI_OVER_TWO * np.exp(ans * ans))

    @vjp(_sp.i0)
    def _i0(g, ans, x):
        return g * _sp.i1(x)

    @jvp(_sp.i0)
    def _i0_jvp(dx, ans, x):
        return dx * _sp.i1(x)

    # (i0e(x) = exp(-|x|) i0(x))
    @vjp(_sp.i0e)
    def _i0e(g, ans, x):
        return g * (_sp.i1e(x) - np.sign(x) * ans)

    @jvp(_sp.i0e)
    def _i0e_jvp(dx, ans, x):
        return dx * (_sp.i1e(x) - np.sign(x) * ans)

    # (entr(x) = -x log x; its slope is infinite at 0)
    @vjp(_sp.entr)
    def _entr(g, ans, x):
        return -(g * (np.log(x) + 1.0))

    @jvp(_sp.entr)
    def _entr_jvp(dx, ans, x):
        return -(dx * (np.log(x) + 1.0))

    @vjp(_sp.expm1)
    def _sp_expm1(g, ans, x):
        return g * (ans + 1.0)

    @jvp(_sp.expm1)
    def _sp_expm1_jvp(dx, ans, x):
        return dx * (ans + 1.0)

    @vjp(_sp.log1p)
    def _sp_log1p(g, ans, x):
        return g / (1.0 + x)

    @jvp(_sp.log1p)
    def _sp_log1p_jvp(dx, ans, x):
        return dx / (1.0 + x)

    @vjp(_sp.exp2)
    def _sp_exp2(g, ans, x):
        return g * ans * _LOG2

    @jvp(_sp.exp2)
    def _sp_exp2_jvp(dx, ans, x):
        return dx * ans * _LOG2

    @vjp(_sp.exp10)
    def _sp_exp10(g, ans, x):
        return g * ans * _LOG10

    @jvp(_sp.exp10)
    def _sp_exp10_jvp(dx, ans, x):
        return dx * ans * _LOG10

    @vjp(_sp.cbrt)
    def _sp_cbrt(g, ans, x):
        return g / (3.0 * ans * ans)

    @jvp(_sp.cbrt)
    def _sp_cbrt_jvp(dx, ans, x):
        return dx / (3.0 * ans * ans)

    # (sine and cosine of degrees)
    @vjp(_sp.sindg)
    def _sindg(g, ans, x):
        return g * _DEGREE * _sp.cosdg(x)

    @jvp(_sp.sindg)
    def _sindg_jvp(dx, ans, x):
        return dx * _DEGREE * _sp.cosdg(x)

    @vjp(_sp.cosdg)
    def _cosdg(g, ans, x):
        return -(g * _DEGREE * _sp.sindg(x))

    @jvp(_sp.cosdg)
    def _cosdg_jvp(dx, ans, x):
        return -(dx * _DEGREE * _sp.sindg(x))

    # ------------------------------------------------ softmax, log_softmax

    @vjp(_sp.softmax)
    def _softmax(g, ans, x, axis=None):
        return ans * (g - np.sum(g * ans, axis=axis, keepdims=True))

    @jvp(_sp.softmax)
    def _softmax_jvp(dx, daxis, ans, x, axis=None):
        return ans * (dx - np.sum(ans * dx, axis=axis, keepdims=True))

    @vjp(_sp.log_softmax)
    def _log_softmax(g, ans, x, axis=None):
        return g - np.exp(ans) * np.sum(g, axis=axis, keepdims=True)

    @jvp(_sp.log_softmax)
    def _log_softmax_jvp(dx, daxis, ans, x, axis=None):
        return dx - np.sum(np.exp(ans) * dx, axis=axis, keepdims=True)
