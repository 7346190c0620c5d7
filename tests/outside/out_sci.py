"""Plain scientific Python: loops, helpers, numerical methods.

Outsider test programs for ast_ad (see tests/test_outside.py).
"""
import math

import numpy as np


# 1. Horner evaluation over a list of coefficients (highest degree first)
def horner(coeffs, x):
    result = 0.0
    for c in coeffs:
        result = result * x + c
    return result


# 1b. Horner with enumerate/reversed building the derivative polynomial too
def poly_and_slope_sum(coeffs, x):
    p = 0.0
    dp = 0.0
    for i, c in enumerate(reversed(coeffs)):
        p += c * x ** i
        if i > 0:
            dp += i * c * x ** (i - 1)
    return p + dp


# 2. trapezoid rule in a loop
def trapezoid_integral(a, b, T=3.0, n=200):
    h = T / n
    total = 0.0
    for k in range(n + 1):
        t = k * h
        ft = math.exp(-a * t * t) * math.cos(b * t)
        weight = 0.5 if (k == 0 or k == n) else 1.0
        total += weight * ft
    return total * h


# 2b. trapezoid rule vectorised with np.linspace and slices
def trapezoid_vec(params, T=3.0, n=200):
    t = np.linspace(0.0, T, n + 1)
    f = np.exp(-params[0] * t ** 2) * np.cos(params[1] * t)
    return np.sum((f[1:] + f[:-1]) * np.diff(t)) / 2.0


# 3. bisection (no gradient through the comparisons), then one Newton
#    polish whose formula carries the gradient
def cube_root_bisect(c, lo=0.0, hi=10.0, tol=1e-13):
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if mid ** 3 - c > 0:
            hi = mid
        else:
            lo = mid
    x = 0.5 * (lo + hi)
    x = x - (x ** 3 - c) / (3 * x ** 2)
    return x * x + 2.0 * x


# 4. fixed-point iteration in a while loop until convergence with a tolerance
def fixed_point_cos(a, tol=1e-14, max_iter=500):
    x = 1.0
    it = 0
    while it < max_iter:
        x_new = math.cos(a * x)
        if abs(x_new - x) < tol:
            x = x_new
            break
        x = x_new
        it += 1
    return x


# 5. helpers calling helpers (not recursion), comprehension + zip
def smooth_abs(x, eps=1e-3):
    return np.sqrt(x * x + eps)


def penalty(w, weights):
    return sum(c * smooth_abs(wi) for c, wi in zip(weights, w))


def data_term(w, X, y):
    r = X @ w - y
    return 0.5 * np.dot(r, r)


def regularised_objective(w, X, y, reg_weights):
    return data_term(w, X, y) + penalty(w, reg_weights)


# 6. helpers that update arrays in place (+=, item assignment, slice assignment)
def accumulate_outer(G, u, v):
    G += np.outer(u, v)


def clamp_first(arr):
    arr[0] = 0.0


def inplace_helpers_loss(U, V):
    G = np.zeros((U.shape[1], V.shape[1]))
    for u, v in zip(U, V):
        accumulate_outer(G, u, v)
    g = G.ravel()
    clamp_first(g)
    g[1:3] *= 2.0
    return np.sum(g ** 2)


# 7. Rosenbrock (vectorised), for Hessian / HVP
def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


# 8. total-variation denoising objective with a smooth TV
def tv_denoise(x, y, lam=0.5, eps=1e-2):
    tv = np.sum(np.sqrt((x[1:] - x[:-1]) ** 2 + eps))
    return 0.5 * np.sum((x - y) ** 2) + lam * tv


# 9. boolean masks: read with a mask and write through a mask
def masked_loss(x, thresh=0.2):
    y = x.copy()
    y[y < -thresh] = 0.0
    pos = x[x > thresh]
    return np.sum(pos ** 2) + np.sum(np.sin(y))


# 10. np.clip / np.maximum / np.minimum piecewise-linear model
def piecewise_model_loss(params, t, target):
    a, b, c = params
    pred = np.clip(a * t + b, -1.0, 1.0) + np.minimum(c * t, 0.5) + np.maximum(t - c, 0.0)
    return np.mean((pred - target) ** 2)


# 11. cumulative sums: portfolio wealth path and a drawdown-ish loss
def wealth_loss(weights, returns):
    port = returns @ weights
    log_wealth = np.cumsum(np.log1p(port))
    return -log_wealth[-1] + 0.5 * np.sum(weights ** 2)


# 12. matrix function: trace of a matrix polynomial, sum over a list of powers
def matrix_poly_trace(A, coeffs):
    n = A.shape[0]
    P = np.eye(n)
    total = 0.0
    for c in coeffs:
        total += c * np.trace(P)
        P = P @ A
    return total


# 12b. same without np.trace
def matrix_poly_diag_sum(A, coeffs):
    n = A.shape[0]
    P = np.eye(n)
    total = 0.0
    for c in coeffs:
        total = total + c * sum(P[i, i] for i in range(n))
        P = P @ A
    return total


# 13. a loss for functools.partial / lambda wrapping (keyword data arguments)
def least_squares(w, X=None, y=None):
    r = X @ w - y
    return r @ r


# 14. unpacking, tuple returns from helpers, dict of arrays built in the loop
def moments(x):
    m = x.mean()
    return m, ((x - m) ** 2).mean()


def standardised_stats_loss(x, ys):
    stats = {}
    for name, y in ys.items():
        m, v = moments(x * y)
        stats[name] = m / np.sqrt(v + 1e-6)
    return sum(s ** 2 for s in stats.values())


# 15. outer products, np.sum with axis and np.exp of a pairwise matrix (RBF MMD)
def mmd_rbf(X, Y, gamma=0.5):
    def k(A, B):
        d2 = np.sum(A ** 2, axis=1)[:, None] + np.sum(B ** 2, axis=1)[None, :] - 2 * A @ B.T
        return np.exp(-gamma * d2)
    return k(X, X).mean() + k(Y, Y).mean() - 2 * k(X, Y).mean()


# 16. the sort of thing one writes for a learning-rate schedule: a loop of
#     gradient-descent steps on an inner quadratic, loss on the final iterate
def unrolled_gd_loss(lr, A, b, x0, steps=15):
    x = x0
    for _ in range(steps):
        g = A @ x - b
        x = x - lr * g
    return 0.5 * x @ A @ x - b @ x

