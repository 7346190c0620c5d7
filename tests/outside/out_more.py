"""More everyday NumPy idioms: helpers, masks, closures, globals, dtypes.

Outsider test programs for ast_ad (see tests/test_outside.py).
"""
import math

import numpy as np

REG = 0.1          # module-level hyper-parameter, changed between calls by the tests


# 1. vectorised n-body accelerations with the "safe" np.where for self-pairs
def nbody_vectorised_potential(pos, masses, G=1.0):
    diff = pos[None, :, :] - pos[:, None, :]
    d2 = np.sum(diff ** 2, axis=-1)
    inv_d = np.where(d2 > 0, 1.0 / np.sqrt(np.where(d2 > 0, d2, 1.0)), 0.0)
    return -0.5 * G * np.sum(masses[:, None] * masses[None, :] * inv_d)


# 1b. the same written the more common (naive) way: where over the divided value
def nbody_vectorised_potential_naive(pos, masses, G=1.0):
    diff = pos[None, :, :] - pos[:, None, :]
    d2 = np.sum(diff ** 2, axis=-1)
    with np.errstate(divide="ignore"):
        inv_d = np.where(d2 > 0, 1.0 / np.sqrt(d2), 0.0)
    return -0.5 * G * np.sum(masses[:, None] * masses[None, :] * inv_d)


def nbody_vectorised_potential_naive_noerrstate(pos, masses, G=1.0):
    diff = pos[None, :, :] - pos[:, None, :]
    d2 = np.sum(diff ** 2, axis=-1)
    inv_d = np.where(d2 > 0, d2 ** -0.5, 0.0)
    return -0.5 * G * np.sum(masses[:, None] * masses[None, :] * inv_d)


# 2. polynomial in Vandermonde form evaluated on a grid containing 0
def poly_vandermonde_fit(coef, t, y):
    powers = np.arange(coef.shape[0])
    V = t[:, None] ** powers[None, :]
    return np.sum((V @ coef - y) ** 2)


def taylor_value(x, coef):
    return np.sum(coef * x ** np.arange(len(coef)))


# 3. probability that all independent events happen (np.prod), one is impossible
def all_events_loss(p, w):
    return np.prod(p) + w @ p


# 4. sample standard deviation with ddof=1 (Bessel's correction)
def sample_std_loss(x):
    return np.std(x, ddof=1) + np.var(x, ddof=1)


# 5. cosine similarity with row norms
def cosine_similarity_loss(A, B):
    An = A / np.linalg.norm(A, axis=1, keepdims=True)
    Bn = B / np.linalg.norm(B, axis=1, keepdims=True)
    return np.sum((An * Bn).sum(axis=1))


# 6. histogram-ish scatter with a repeated index: NumPy's buffered a[idx] += v
def scatter_add_loss(vals, idx, n_bins):
    bins = np.zeros(n_bins)
    bins[idx] += vals
    return np.sum(bins ** 2)


# 6b. embedding-bag model: gather with repeated indices (must accumulate)
def embedding_bag_loss(E, tokens, target):
    vec = E[tokens].mean(axis=0)
    return np.sum((vec - target) ** 2)


# 7. periodic heat equation with np.roll
def periodic_heat(u0, kappa, steps=10):
    u = u0
    for _ in range(steps):
        u = u + kappa * (np.roll(u, 1) - 2 * u + np.roll(u, -1))
    return np.sum(u ** 3)


# 8. positional axis arguments: x.sum(0), np.mean(x, 1)
def positional_axis_loss(X):
    col = X.sum(0)
    row = np.mean(X, 1)
    return np.sum(col ** 2) + np.sum(np.exp(row))


# 9. p-norm pooling of ReLU features (exact zeros), p learnable
def lp_pool_loss(z, p):
    a = np.maximum(z, 0.0)
    pooled = np.sum(a ** p) ** (1.0 / p)
    return pooled


# 10. MLP with a list of (W, b) layers, arbitrary depth, layers[:-1] slicing
def deep_mlp_loss(layers, X, y):
    h = X
    for W, b in layers[:-1]:
        h = np.tanh(h @ W + b)
    W_last, b_last = layers[-1]
    out = h @ W_last + b_last
    return np.mean((out[:, 0] - y) ** 2)


# 11. closure factory, the idiom for binding data to a loss
def make_loss(X, y):
    def loss(w):
        r = X @ w - y
        return np.mean(r ** 2)
    return loss


# 12. a module-level hyper-parameter read at each call
def global_reg_loss(w, X, y):
    r = X @ w - y
    return np.mean(r ** 2) + REG * np.sum(w ** 2)


# 13. float32 network (the default dtype in ML code)
def mlp32_loss(W1, W2, X, y):
    h = np.tanh(X @ W1)
    pred = h @ W2
    return np.mean((pred - y) ** 2)


# 14. a "scalar" that is really a 1-element array
def one_element_loss(w, x):
    return x[None, :] @ w[:, None] ** 2


# 15. keyword-only data arguments
def kwonly_loss(w, *, X, y, lam=0.5):
    return np.sum((X @ w - y) ** 2) + lam * w @ w


# 16. a class-based model: grad of a bound method
class LinearModel:
    def __init__(self, X, y):
        self.X = X
        self.y = y

    def loss(self, w):
        return np.mean((self.X @ w - self.y) ** 2)


# 17. losses collected in a Python list, then np.mean / np.array of the list
def sequence_loss_mean(w, xs, ys):
    losses = []
    for x, y in zip(xs, ys):
        losses.append((np.dot(w, x) - y) ** 2)
    return np.mean(losses) + 0.01 * np.sum(np.array(losses) ** 2)


# 18. enumerate over zip with nested unpacking, continue
def weighted_pairs_loss(w, xs, ys):
    total = 0.0
    for i, (x, y) in enumerate(zip(xs, ys)):
        if i % 3 == 2:
            continue
        total += (i + 1) * (w @ x - y) ** 2
    return total


# 19. array methods that are not in the documented list: .clip, .flatten, .astype
def methods_loss(X):
    Y = X.clip(-0.5, 0.5).flatten()
    return np.sum(Y.astype(float) ** 2) + X.max()


# 20. robust losses with sorting: trimmed mean and median
def trimmed_mean_loss(x, k=2):
    s = np.sort(x)
    return np.mean(s[k:-k] ** 2)


def median_abs_loss(x, c):
    return np.median(np.abs(x - c))


# 21. aliasing: an in-place update through an alias of a local array
def alias_update_loss(x):
    y = x * 1.0
    z = y
    z += 1.0
    z *= x
    return np.sum(y * x)


# 22. alias of the argument itself (Python mutates the caller's array here)
def alias_argument_loss(x):
    y = x
    y += 1.0
    return np.sum(x * y)


# 23. logit-space probabilities, log(sigmoid) computed stably with logaddexp
def stable_bce(w, X, y):
    z = X @ w
    return np.mean(np.logaddexp(0.0, z) - y * z)


# 24. early return inside a loop (stopping when a threshold is crossed)
def first_passage_value(rate, x0=0.1, threshold=2.0, dt=0.05, max_steps=100):
    x = x0
    for k in range(max_steps):
        x = x + dt * rate * x * (1 - x / 5.0)
        if x > threshold:
            return k * dt + (x - threshold) / (rate * x)
    return max_steps * dt


# 25. 2-D image smoothing (slices in two dimensions) and a loss
def smooth2d_loss(img, w_center):
    out = w_center * img[1:-1, 1:-1]
    out = out + 0.25 * (1 - w_center) * (img[:-2, 1:-1] + img[2:, 1:-1] + img[1:-1, :-2] + img[1:-1, 2:])
    return np.sum(out ** 2) / out.size


# 26. matrix inverse via np.linalg.inv on a 2x2 precision in a Gaussian density
def gaussian2d_nll(mu, L_flat, X):
    L = np.array([[L_flat[0], 0.0], [L_flat[1], L_flat[2]]])
    cov = L @ L.T + 1e-3 * np.eye(2)
    prec = np.linalg.inv(cov)
    d = X - mu
    quad = np.einsum("ni,ij,nj->n", d, prec, d)
    return 0.5 * np.sum(quad) + 0.5 * X.shape[0] * np.log(np.linalg.det(cov))


# 26b. the 2x2 inverse written out by hand
def gaussian2d_nll_by_hand(mu, L_flat, X):
    a = L_flat[0] ** 2 + 1e-3
    b = L_flat[0] * L_flat[1]
    c = L_flat[1] ** 2 + L_flat[2] ** 2 + 1e-3
    det = a * c - b * b
    d = X - mu
    quad = (c * d[:, 0] ** 2 - 2 * b * d[:, 0] * d[:, 1] + a * d[:, 1] ** 2) / det
    return 0.5 * np.sum(quad) + 0.5 * X.shape[0] * math.log(det)


# 27. a helper that standardises its argument in place (two in-place updates)
def standardise_(v):
    v -= v.mean()
    v /= v.std()


def standardised_cubic_loss(x, w):
    feats = x * w
    standardise_(feats)
    return np.sum(feats ** 3) + np.sum(feats * w)


# 28. polynomial by powers of a Python float, evaluated at x = 0.0
def poly_powers(coeffs, x):
    return sum(c * x ** i for i, c in enumerate(coeffs))


# 29. input validation with assert, as in most research code
def checked_least_squares(w, X, y):
    assert X.shape[0] == y.shape[0], "X and y disagree"
    r = X @ w - y
    return 0.5 * np.mean(r ** 2)


# 30. spectral-norm penalty on a weight matrix
def spectral_penalty_loss(W, X, y, lam=0.1):
    pred = X @ W
    return np.mean((pred - y) ** 2) + lam * np.linalg.norm(W, 2)


# 31. assignment (not +=) through a repeated index: the last write wins in NumPy
def assign_repeated_loss(v, idx):
    out = np.zeros(3)
    out[idx] = v
    return np.sum(out * np.array([1.0, 2.0, 3.0]))
