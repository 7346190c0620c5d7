"""A small neural network in plain NumPy, trained with Adam on ast_ad gradients.

The network of the seed document (a Keras ``Sequential`` of
``Dense(10, activation="relu", input_shape=(5,))`` and ``Dense(1)``, mean
squared error, ``Adam(learning_rate=0.01)``, 100 epochs on 100 samples of 5
features) written out by hand:

    hidden = relu(X @ W1 + b1)          W1: (5, 10), b1: (10,)
    pred   = hidden @ W2 + b2           W2: (10, 1), b2: (1,)
    loss   = mean((pred - y) ** 2)

The parameters are one list ``params = [W1, b1, W2, b2]``;
``ast_ad.grad(loss)`` returns the gradient as a list of four arrays of the
same shapes, which a hand-written Adam step consumes.  The targets come from
a fixed smooth function of the inputs plus a little noise (fixed seed), so
the network has something to learn; the loss must fall at least five-fold.

Run it with ``python examples/mlp_numpy.py``.
"""
import numpy as np

import ast_ad

N_SAMPLES, N_FEATURES, N_HIDDEN = 100, 5, 10
EPOCHS = 100


def forward(params, X):
    W1, b1, W2, b2 = params
    hidden = np.maximum(0, X @ W1 + b1)
    return hidden @ W2 + b2


def loss(params, X, y):
    pred = forward(params, X)
    return np.mean((pred - y) ** 2)


loss_grad = ast_ad.grad(loss)          # gradient with respect to params


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N_SAMPLES, N_FEATURES))
    target = (np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2] - X[:, 3] + 0.3 * np.abs(X[:, 4])
              + 1.0)
    y = (target + 0.05 * rng.standard_normal(N_SAMPLES)).reshape(-1, 1)
    return X, y


def init_params(seed=1):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((N_FEATURES, N_HIDDEN)) * np.sqrt(2.0 / N_FEATURES)
    b1 = np.zeros(N_HIDDEN)
    W2 = rng.standard_normal((N_HIDDEN, 1)) * np.sqrt(1.0 / N_HIDDEN)
    b2 = np.zeros(1)
    return [W1, b1, W2, b2]


class Adam:
    """Adam (Kingma & Ba, 2015) over a list of arrays."""

    def __init__(self, params, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        new_params = []
        for i, (p, g) in enumerate(zip(params, grads)):
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g * g
            m_hat = self.m[i] / (1 - self.beta1 ** self.t)
            v_hat = self.v[i] / (1 - self.beta2 ** self.t)
            new_params.append(p - self.lr * m_hat / (np.sqrt(v_hat) + self.eps))
        return new_params


def check_gradient(params, X, y, eps=1e-6):
    """Largest relative difference between ast_ad and central differences,
    over a few entries of each parameter."""
    grads = loss_grad(params, X, y)
    worst = 0.0
    for i, p in enumerate(params):
        for idx in list(np.ndindex(p.shape))[:3]:
            plus = [q.copy() for q in params]
            minus = [q.copy() for q in params]
            plus[i][idx] += eps
            minus[i][idx] -= eps
            fd = (loss(plus, X, y) - loss(minus, X, y)) / (2 * eps)
            worst = max(worst, abs(grads[i][idx] - fd) / max(abs(fd), 1e-8))
    return worst


def main():
    X, y = make_data()
    params = init_params()
    print(f"MLP {N_FEATURES} -> {N_HIDDEN} (relu) -> 1, mean squared error, "
          f"{N_SAMPLES} samples, Adam(lr=0.01), {EPOCHS} epochs")
    print()

    grads = loss_grad(params, X, y)
    print("== Gradient structure ==")
    print(f"type: {type(grads).__name__}, shapes: {[g.shape for g in grads]}")
    assert isinstance(grads, list) and len(grads) == 4
    assert all(g.shape == p.shape for g, p in zip(grads, params))
    worst = check_gradient(params, X, y)
    print(f"max relative difference to central finite differences: {worst:.1e}")
    assert worst < 1e-5, worst
    print()

    print("== Training ==")
    optimizer = Adam(params, lr=0.01)
    initial = loss(params, X, y)
    for epoch in range(EPOCHS):
        if epoch % 10 == 0:
            print(f"  epoch {epoch:3d}   loss {loss(params, X, y):.6f}")
        grads = loss_grad(params, X, y)
        params = optimizer.step(params, grads)
    final = loss(params, X, y)
    print(f"  epoch {EPOCHS:3d}   loss {final:.6f}")
    print()
    print(f"initial loss {initial:.6f}, final loss {final:.6f}, "
          f"ratio {initial / final:.1f}")
    assert final < initial / 5, (initial, final)
    print("OK: the loss fell more than five-fold")


if __name__ == "__main__":
    main()
