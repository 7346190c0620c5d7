"""Machine-learning models written the way people write them in NumPy.

Outsider test programs for ast_ad (see tests/test_outside.py).  Each function
is a differentiable scalar loss or a vector function.
"""
import numpy as np
import scipy.special


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# 1. logistic regression, mean negative log-likelihood + L2
def logistic_loss(w, b, X, y, lam=0.1):
    z = X @ w + b
    p = sigmoid(z)
    nll = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return nll + 0.5 * lam * np.sum(w ** 2)


# 2. softmax regression with a hand-written stable log-sum-exp and integer labels
def softmax_regression_loss(W, b, X, labels):
    logits = X @ W + b
    m = np.max(logits, axis=1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    log_probs = logits - lse
    n = X.shape[0]
    return -np.sum(log_probs[np.arange(n), labels]) / n


# 3. two-layer MLP, parameters as a list
def mlp_list_loss(params, X, Y):
    W1, b1, W2, b2 = params
    h = np.tanh(X @ W1 + b1)
    out = h @ W2 + b2
    return np.mean((out - Y) ** 2)


# 4. two-layer MLP, parameters as a dict, ReLU, cross-entropy via scipy logsumexp
def mlp_dict_loss(params, X, labels):
    h = np.maximum(0.0, X @ params["W1"] + params["b1"])
    logits = h @ params["W2"] + params["b2"]
    logz = scipy.special.logsumexp(logits, axis=1)
    picked = logits[np.arange(len(labels)), labels]
    return np.mean(logz - picked)


# 4b. same with a hand-written log-sum-exp helper (what you do when scipy is refused)
def logsumexp_rows(a):
    amax = a.max(axis=1, keepdims=True)
    return (amax + np.log(np.exp(a - amax).sum(axis=1, keepdims=True)))[:, 0]


def mlp_dict_loss_own_lse(params, X, labels):
    h = np.maximum(0.0, X @ params["W1"] + params["b1"])
    logits = h @ params["W2"] + params["b2"]
    picked = logits[np.arange(len(labels)), labels]
    return np.mean(logsumexp_rows(logits) - picked)


# 5. vanilla RNN, Python loop over time, loss on every step
def rnn_loss(params, xs, targets):
    Wx, Wh, b, Wo = params["Wx"], params["Wh"], params["b"], params["Wo"]
    h = np.zeros(Wh.shape[0])
    loss = 0.0
    for t in range(len(xs)):
        h = np.tanh(Wx @ xs[t] + Wh @ h + b)
        y = Wo @ h
        loss += 0.5 * np.sum((y - targets[t]) ** 2)
    return loss / len(xs)


# 6. LSTM cell unrolled over a sequence: concatenate, slice the gates
def lstm_step(W, b, x, h, c):
    H = h.shape[0]
    z = W @ np.concatenate([x, h]) + b
    i = sigmoid(z[:H])
    f = sigmoid(z[H:2 * H])
    o = sigmoid(z[2 * H:3 * H])
    g = np.tanh(z[3 * H:])
    c = f * c + i * g
    h = o * np.tanh(c)
    return h, c


def lstm_loss(W, b, xs, w_out):
    H = b.shape[0] // 4
    h = np.zeros(H)
    c = np.zeros(H)
    for x in xs:
        h, c = lstm_step(W, b, x, h, c)
    return float(w_out @ h)


# 7. GRU with hidden states collected in a list and stacked
def gru_loss(params, xs):
    Wz, Uz, Wr, Ur, Wh, Uh = params
    h = np.zeros(Uz.shape[0])
    hs = []
    for x in xs:
        z = sigmoid(Wz @ x + Uz @ h)
        r = sigmoid(Wr @ x + Ur @ h)
        h_tilde = np.tanh(Wh @ x + Uh @ (r * h))
        h = (1 - z) * h + z * h_tilde
        hs.append(h)
    H = np.stack(hs)
    return np.sum(H ** 2) / H.shape[0]


# 8. 1-D convolution ("valid") by slicing into a preallocated output
def conv1d(x, w):
    k = len(w)
    n_out = len(x) - k + 1
    out = np.zeros(n_out)
    for i in range(n_out):
        out[i] = np.dot(x[i:i + k], w)
    return out


# 8b. 1-D convolution with a list comprehension and np.array
def conv1d_comprehension_loss(x, w, target):
    k = w.shape[0]
    out = np.array([np.sum(x[i:i + k] * w) for i in range(x.shape[0] - k + 1)])
    return np.sum((out - target) ** 2)


# 9. scaled dot-product attention (vector/matrix-valued)
def attention(Q, K, V):
    d = Q.shape[-1]
    scores = Q @ K.T / np.sqrt(d)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ V


# 10. batch normalisation followed by a quadratic readout
def batchnorm_loss(x, gamma, beta, C, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    xhat = (x - mu) / np.sqrt(var + eps)
    out = gamma * xhat + beta
    return np.sum(out * C) + 0.5 * np.sum(out ** 2)


# 11. VAE-style loss, reparameterisation trick with fixed noise
def vae_loss(enc, dec, x, noise):
    W_mu, W_lv = enc
    mu = W_mu @ x
    logvar = W_lv @ x
    std = np.exp(0.5 * logvar)
    z = mu + std * noise
    x_hat = sigmoid(dec @ z)
    recon = -np.sum(x * np.log(x_hat) + (1 - x) * np.log(1 - x_hat))
    kl = -0.5 * np.sum(1 + logvar - mu ** 2 - np.exp(logvar))
    return recon + kl


# 12. elastic net: least squares + L1 + L2 (norm squared)
def elastic_net_loss(w, X, y, l1=0.05, l2=0.1):
    r = y - X.dot(w)
    return 0.5 * r.dot(r) / len(y) + l1 * np.sum(np.abs(w)) + l2 * np.linalg.norm(w) ** 2


# 13. Huber regression
def huber_loss(theta, X, y, delta=1.0):
    r = X @ theta - y
    a = np.abs(r)
    quad = 0.5 * r ** 2
    lin = delta * (a - 0.5 * delta)
    return np.mean(np.where(a <= delta, quad, lin))


# 14. cross-entropy of softmax probabilities with clipping and one-hot targets
def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def cross_entropy_onehot(logits, onehot):
    p = np.clip(softmax(logits), 1e-12, 1.0 - 1e-12)
    return -np.sum(onehot * np.log(p)) / logits.shape[0]


# 15. bilinear model with einsum
def bilinear_einsum_loss(W, U, V, target):
    pred = np.einsum("ni,ij,nj->n", U, W, V)
    return np.mean((pred - target) ** 2)


# 16. linear SVM hinge loss with a boolean mask of margin violators
def svm_hinge_loss(w, X, y, C=1.0):
    margins = 1.0 - y * (X @ w)
    active = margins > 0
    return 0.5 * w @ w + C * np.sum(margins[active])


# 17. polynomial feature regression with concatenate/stack and x[:, None]
def poly_features_loss(coef, x, y):
    feats = np.concatenate([x[:, None], x[:, None] ** 2, np.sin(x)[:, None]], axis=1)
    feats = np.hstack([np.ones((x.shape[0], 1)), feats])
    pred = feats @ coef
    return np.sum((pred - y) ** 2)


# 18. the softmax itself as a vector function
def softmax_vec(z):
    return softmax(z)
