"""Differential fuzzer for ast_ad: random programs in the documented subset,
checked against plain Python and finite differences.  See README.md here."""
