"""Every public name has a docstring that says what it takes and returns
and shows an example that the doctest run executes."""
import doctest
import inspect

import pytest

import ast_ad

NAMES = [n for n in ast_ad.__all__]


@pytest.mark.parametrize("name", NAMES)
def test_public_name_is_documented_with_an_example(name):
    obj = getattr(ast_ad, name)
    doc = inspect.getdoc(obj) or ""
    assert len(doc.splitlines()) >= 5, f"ast_ad.{name}: docstring too short"
    examples = doctest.DocTestParser().get_examples(doc)
    assert examples, f"ast_ad.{name}: no doctest example"
    if inspect.isfunction(obj):
        assert "Parameters" in doc and "Returns" in doc, name
