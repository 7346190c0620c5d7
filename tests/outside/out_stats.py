"""Statistics: likelihoods and estimators, written the usual NumPy way.

Outsider test programs for ast_ad (see tests/test_outside.py).
"""
import math

import numpy as np
import scipy.special
from scipy.special import gammaln, logsumexp

LOG_2PI = math.log(2 * math.pi)


# 1. Gaussian log-likelihood with log-sigma parametrisation
def gaussian_loglik(mu, log_sigma, x):
    sigma = np.exp(log_sigma)
    n = x.size
    z = (x - mu) / sigma
    return -0.5 * np.sum(z ** 2) - n * log_sigma - 0.5 * n * LOG_2PI


# 2. 1-D Gaussian mixture log-likelihood with scipy logsumexp
def gmm_loglik(means, log_sigmas, logits, x):
    log_w = logits - logsumexp(logits)
    sig = np.exp(log_sigmas)
    diff = x[:, None] - means[None, :]
    log_comp = -0.5 * (diff / sig) ** 2 - log_sigmas - 0.5 * LOG_2PI
    return np.sum(logsumexp(log_comp + log_w, axis=1))


# 2b. same mixture with a hand-rolled stable log-sum-exp
def gmm_loglik_own_lse(means, log_sigmas, logits, x):
    lw_max = np.max(logits)
    log_w = logits - (lw_max + np.log(np.sum(np.exp(logits - lw_max))))
    sig = np.exp(log_sigmas)
    diff = x[:, None] - means[None, :]
    log_comp = -0.5 * (diff / sig) ** 2 - log_sigmas - 0.5 * LOG_2PI
    a = log_comp + log_w
    amax = a.max(axis=1, keepdims=True)
    return np.sum(amax[:, 0] + np.log(np.exp(a - amax).sum(axis=1)))


# 3. Poisson regression negative log-likelihood (gammaln on the data only)
def poisson_nll(beta, X, counts):
    eta = X @ beta
    return -np.sum(counts * eta - np.exp(eta) - gammaln(counts + 1))


# 4. GP log marginal likelihood, squared-exponential kernel, Cholesky + solve
def gp_log_marginal(log_params, X, y):
    ell, sf, sn = np.exp(log_params[0]), np.exp(log_params[1]), np.exp(log_params[2])
    sqdist = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    K = sf ** 2 * np.exp(-0.5 * sqdist / ell ** 2) + (sn ** 2 + 1e-8) * np.eye(len(y))
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return -0.5 * y @ alpha - np.sum(np.log(np.diag(L))) - 0.5 * len(y) * LOG_2PI


# 4b. the same quantity with slogdet and solve on K directly
def gp_log_marginal_slogdet(log_params, X, y):
    ell, sf, sn = np.exp(log_params)
    sqdist = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    K = sf ** 2 * np.exp(-0.5 * sqdist / ell ** 2) + (sn ** 2 + 1e-8) * np.eye(len(y))
    sign, logdet = np.linalg.slogdet(K)
    return -0.5 * y @ np.linalg.solve(K, y) - 0.5 * logdet - 0.5 * len(y) * LOG_2PI


# 5. ridge regression in closed form, validation loss as a function of log(lambda)
def ridge_validation_loss(log_lam, X, y, Xv, yv):
    lam = np.exp(log_lam)
    d = X.shape[1]
    w = np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y)
    r = Xv @ w - yv
    return np.mean(r ** 2)


# 6. weighted least squares estimate as a vector function of the weights
def wls_estimate(weights, X, y):
    Xw = X * weights[:, None]
    return np.linalg.solve(Xw.T @ X, Xw.T @ y)


# 7. Gaussian kernel density estimate: mean log density at query points
def kde_mean_logpdf(bandwidth, queries, data):
    n = data.shape[0]
    u = (queries[:, None] - data[None, :]) / bandwidth
    log_k = -0.5 * u ** 2 - 0.5 * LOG_2PI
    return np.mean(scipy.special.logsumexp(log_k, axis=1) - np.log(n * bandwidth))


# 7b. KDE written with plain exp/sum, bandwidth a float
def kde_mean_logpdf_plain(bandwidth, queries, data):
    n = len(data)
    total = 0.0
    for q in queries:
        u = (q - data) / bandwidth
        dens = np.sum(np.exp(-0.5 * u * u)) / (n * bandwidth * math.sqrt(2 * math.pi))
        total += math.log(dens)
    return total / len(queries)


# 8. log-sum-exp of a Python list of floats, generator expression
def logsumexp_list(xs):
    m = max(xs)
    return m + math.log(sum(math.exp(x - m) for x in xs))


# 9. Student-t negative log-likelihood with a robust scale (lgamma constants)
def student_t_nll(mu, log_scale, x, nu=4.0):
    s = np.exp(log_scale)
    z = (x - mu) / s
    const = math.lgamma((nu + 1) / 2) - math.lgamma(nu / 2) - 0.5 * math.log(nu * math.pi)
    return -np.sum(const - log_scale - (nu + 1) / 2 * np.log1p(z ** 2 / nu))
