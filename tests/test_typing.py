"""Type checkers see the public API: ``grad(f)`` is a callable `Grad`, not
Any (the package ships py.typed).  Runs mypy where it is installed (the
``typing`` extra); skipped otherwise."""
import os
import subprocess
import sys
import textwrap

import pytest

import ast_ad

pytest.importorskip("mypy")

SNIPPET = textwrap.dedent('''\
    from typing import Any, Callable
    import ast_ad

    def f(x: float, y: float) -> float:
        return x * y

    g = ast_ad.grad(f)
    reveal_type(g)
    as_callable: Callable[[float, float], Any] = g
    reveal_type(ast_ad.grad(wrt="y"))
    reveal_type(ast_ad.value_and_grad(f))
    reveal_type(ast_ad.hessian(f))
    reveal_type(ast_ad.hvp(f))
    reveal_type(ast_ad.hessp(f))
    reveal_type(ast_ad.source(f))
    reveal_type(ast_ad.primitive(f))
    not_a_number = ast_ad.grad(f) + 1
    ''')


def test_mypy_sees_the_public_api(tmp_path):
    (tmp_path / "snippet.py").write_text(SNIPPET)
    env = dict(os.environ)
    where = os.path.dirname(os.path.dirname(os.path.abspath(ast_ad.__file__)))
    if os.path.basename(where) not in ("site-packages", "dist-packages"):
        env["MYPYPATH"] = where          # (an editable install: mypy cannot see it)
    proc = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent",
                           "--no-error-summary", "--cache-dir", str(tmp_path / "cache"),
                           "snippet.py"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)
    lines = proc.stdout.splitlines()
    revealed = [line.split("Revealed type is ")[1].strip('"').replace("builtins.", "")
                for line in lines if "Revealed type is" in line]
    assert revealed == [
        "ast_ad.api.Grad",
        "def (def (*Any, **Any) -> Any) -> ast_ad.api.Grad",
        "ast_ad.api.ValueAndGrad",
        "ast_ad.api_forward.Jacobian",
        "ast_ad.api_forward.HVP",
        "ast_ad.optimize.HessP",
        "str",
        "def (x: float, y: float) -> float",
    ], proc.stdout + proc.stderr
    errors = [line for line in lines if ": error:" in line]
    # the one deliberate error: a gradient object is not a number
    assert len(errors) == 1 and "snippet.py:17" in errors[0] and '"Grad"' in errors[0], \
        proc.stdout
