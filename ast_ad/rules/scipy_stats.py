"""scipy.stats distributions as users call them (``norm.logpdf(x, loc,
scale)``): each method is written out here as the formula it computes, in
NumPy and scipy.special functions that have rules, and a call of the method
is lowered as a call of its formula (inlined like a helper of the user's).
Gradients then reach every float parameter, in both modes and to any order.
Nothing is registered when SciPy is absent.

The formulas are SciPy's densities for values inside the support; outside
it (a negative x for expon or gamma, x outside [0, 1] for beta) they give
what SciPy gives there (-inf for logpdf, 0 for pdf), with no derivative.
"""
import math

import numpy as np

from . import FORMULAS

try:
    from scipy import special as _sp
    from scipy import stats as _st
except Exception:   # SciPy is optional
    _st = None

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_SQRT2 = math.sqrt(2.0)


def norm_logpdf(x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return -0.5 * z * z - np.log(scale) - _HALF_LOG_2PI


def norm_pdf(x, loc=0.0, scale=1.0):
    return np.exp(norm_logpdf(x, loc, scale))


def norm_cdf(x, loc=0.0, scale=1.0):
    return _sp.ndtr((x - loc) / scale)


def norm_logcdf(x, loc=0.0, scale=1.0):
    # (log_ndtr, as SciPy: finite far in the lower tail)
    return _sp.log_ndtr((x - loc) / scale)


def expon_logpdf(x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return np.where(z >= 0, -z - np.log(scale), -np.inf)


def expon_pdf(x, loc=0.0, scale=1.0):
    return np.exp(expon_logpdf(x, loc, scale))


def expon_cdf(x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return np.where(z >= 0, -np.expm1(-np.maximum(z, 0.0)), 0.0)


def gamma_logpdf(x, a, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    inside = z > 0
    safe = np.where(inside, z, 1.0)
    return np.where(inside, (a - 1.0) * np.log(safe) - safe - _sp.gammaln(a) - np.log(scale),
                    -np.inf)


def gamma_pdf(x, a, loc=0.0, scale=1.0):
    return np.exp(gamma_logpdf(x, a, loc, scale))


def beta_logpdf(x, a, b, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    inside = (z > 0) & (z < 1)
    safe = np.where(inside, z, 0.5)
    return np.where(inside, (a - 1.0) * np.log(safe) + (b - 1.0) * np.log1p(-safe)
                    - _sp.betaln(a, b) - np.log(scale), -np.inf)


def beta_pdf(x, a, b, loc=0.0, scale=1.0):
    return np.exp(beta_logpdf(x, a, b, loc, scale))


def t_logpdf(x, df, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return (_sp.gammaln(0.5 * (df + 1.0)) - _sp.gammaln(0.5 * df)
            - 0.5 * np.log(df * math.pi) - 0.5 * (df + 1.0) * np.log1p(z * z / df)
            - np.log(scale))


def t_pdf(x, df, loc=0.0, scale=1.0):
    return np.exp(t_logpdf(x, df, loc, scale))


def poisson_logpmf(k, mu, loc=0):
    n = k - loc
    return _sp.xlogy(n, mu) - _sp.gammaln(n + 1.0) - mu


def poisson_pmf(k, mu, loc=0):
    return np.exp(poisson_logpmf(k, mu, loc))


def multivariate_normal_logpdf(x, mean=None, cov=1):
    # (one point, or a row per point.  As SciPy reads them: the dimension
    # from the mean, else the covariance; a number as cov is that times the
    # identity, a vector the diagonal; of a matrix, only the lower triangle
    # is read, the upper taken to mirror it)
    if mean is None:
        d = np.shape(cov)[0] if np.ndim(cov) > 0 else 1
        mean = np.zeros(d)
    d = np.size(mean)
    if np.ndim(cov) == 0:
        cov = cov * np.eye(d)
    elif np.ndim(cov) == 1:
        cov = np.diag(cov)
    else:
        cov = np.tril(cov) + np.tril(cov, -1).T
    if d == 1:
        # (x holds points of one coordinate each)
        diff = x - np.ravel(mean)[0]
        var = cov[0, 0]
        return -0.5 * (diff * diff / var + np.log(var)) - _HALF_LOG_2PI
    diff = x - mean
    solved = np.linalg.solve(cov, diff.T).T
    logdet = np.linalg.slogdet(cov)[1]
    return -0.5 * (np.sum(diff * solved, axis=-1) + logdet) - d * _HALF_LOG_2PI


def multivariate_normal_pdf(x, mean=None, cov=1):
    return np.exp(multivariate_normal_logpdf(x, mean, cov))


def dirichlet_logpdf(x, alpha):
    return (np.sum((alpha - 1.0) * np.log(x), axis=0) + _sp.gammaln(np.sum(alpha))
            - np.sum(_sp.gammaln(alpha)))


def dirichlet_pdf(x, alpha):
    return np.exp(dirichlet_logpdf(x, alpha))


if _st is not None:
    for _formula in list(globals().values()):
        _name = getattr(_formula, "__name__", "")
        if callable(_formula) and "_" in _name and not _name.startswith("_"):
            _dist, _method = _name.rsplit("_", 1)
            _method_of = getattr(getattr(_st, _dist, None), _method, None)
            if _method_of is not None:
                FORMULAS[_method_of] = _formula
                FORMULAS[_formula] = _formula      # (one formula calling another)
