"""scipy.special rules: gradients, forward mode and Hessian-vector products
against finite differences (check_grads compares every mode with them)."""
import numpy as np
import pytest

import ast_ad

sp = pytest.importorskip("scipy.special")

RNG = np.random.default_rng(3)
X = RNG.uniform(0.5, 2.0, size=(3, 4))
V = RNG.uniform(0.2, 0.8, size=4)
W3 = np.array([1.0, -2.0, 0.5])


def lse_all(x):
    return sp.logsumexp(x)


def lse_axis(x):
    return np.sum(sp.logsumexp(x, axis=1) * W3)


def lse_keepdims(x):
    return np.sum(sp.logsumexp(x, axis=0, keepdims=True) ** 2)


def gamma_family(x):
    return np.sum(sp.gammaln(x) + sp.digamma(x) * x + sp.psi(2.0 * x))


def polygamma_betaln(x):
    return np.sum(sp.polygamma(1, x) + sp.betaln(x, 2.0 * x))


def error_functions(v):
    return np.sum(sp.erf(v) * sp.erfc(v) + sp.erfinv(v - 0.5))


def logistic_and_xlogy(v):
    return np.sum(sp.expit(v) * sp.logit(v) + sp.xlogy(v, v + 1.0) + sp.xlog1py(v * v, v))


def mixture_nll(means, x):
    # a stable mixture log-likelihood, as users write it
    d = x[:, None] - means[None, :]
    return -np.sum(sp.logsumexp(-0.5 * d ** 2 - np.log(len(means)), axis=1))


CASES = [(lse_all, (X,)), (lse_axis, (X,)), (lse_keepdims, (X,)), (gamma_family, (X,)),
         (polygamma_betaln, (X,)), (error_functions, (V,)), (logistic_and_xlogy, (V,)),
         (mixture_nll, (np.array([-1.0, 0.5, 2.0]), RNG.normal(size=7)))]


@pytest.mark.parametrize("f,args", CASES, ids=[c[0].__name__ for c in CASES])
def test_matches_finite_differences(f, args):
    ast_ad.check_grads(f, modes=("fwd", "rev"), order=2, wrt=0)(*args)


def test_logsumexp_with_weights_is_refused_with_location():
    def weighted(x):
        return sp.logsumexp(x, b=np.ones_like(x))
    with pytest.raises(ast_ad.NoRuleError) as info:
        ast_ad.grad(weighted)(X)
    assert info.value.lineno is not None and "b=" in str(info.value)


def more_elementwise(v):
    return np.sum(sp.gamma(v + 1.0) + sp.loggamma(v + 0.5) * v + sp.ndtri(v) ** 2
                  + sp.log_expit(3.0 * v - 1.0) + sp.erfcinv(v + 0.3) + sp.entr(v)
                  + sp.expm1(v) * sp.log1p(v) + sp.exp2(v) - sp.exp10(-v) + sp.cbrt(v + 1.0)
                  + sp.sindg(90.0 * v) * sp.cosdg(60.0 * v))


def softmaxes(x):
    return np.sum(sp.softmax(x, axis=1) * x) + np.sum(sp.log_softmax(x) ** 2) \
        + np.sum(sp.softmax(x * 0.5) * W4)


W4 = RNG.normal(size=(3, 4))


def bessel(v):
    return np.sum(sp.i0(v * 3.0) + sp.i0e(v - 0.5) * v)


@pytest.mark.parametrize("f, args", [(more_elementwise, (V,)), (softmaxes, (X,))],
                         ids=["elementwise", "softmax"])
def test_more_special_functions(f, args):
    ast_ad.check_grads(f, modes=("fwd", "rev"), order=2, wrt=0)(*args)


def test_bessel_first_order():
    ast_ad.check_grads(bessel, modes=("fwd", "rev"), order=1, wrt=0)(V)
