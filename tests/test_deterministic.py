"""The generated code is the same text every time it is made: in separate
processes (where objects get other addresses, so anything ordered by
identity would come out in another order) it is identical."""
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def rnn_loss(Wx, Wh, b, xs):
    h = np.zeros(4)
    total = 0.0
    for x in xs:
        h = np.tanh(Wx @ x + Wh @ h + b)
        total = total + np.sum(h ** 2)
    return total


def particles(pos, vel, masses, dt):
    x = list(pos)
    v = list(vel)
    for step in range(3):
        for i in range(len(masses)):
            for j in range(len(masses)):
                if i != j:
                    d = x[j] - x[i]
                    v[i] = v[i] + dt * masses[j] * d / (d * d + 0.1)
        for i in range(len(masses)):
            x[i] = x[i] + dt * v[i]
    return sum(xi * xi for xi in x)


def sources():
    import ast_ad
    rng = np.random.default_rng(0)
    Wx, Wh, b = rng.normal(size=(4, 3)), rng.normal(size=(4, 4)), rng.normal(size=4)
    xs = [rng.normal(size=3) for _ in range(5)]
    g1 = ast_ad.value_and_grad(rnn_loss, wrt=(0, 1, 2))
    g1(Wx, Wh, b, xs)
    g2 = ast_ad.value_and_grad(particles, wrt=(0, 1))
    g2([0.1, 0.5, 0.9], [0.0, 0.1, -0.1], [1.0, 2.0, 1.5], 0.01)
    return g1.source + "\n" + g2.source


def test_the_same_code_in_every_process():
    code = (f"import sys; sys.path.insert(0, {HERE!r}); import test_deterministic as t; "
            "print(t.sources())")
    outs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=120) for _ in range(3)]
    for out in outs:
        assert out.returncode == 0, out.stderr
    assert outs[0].stdout == outs[1].stdout == outs[2].stdout
