"""The tools behind ``python -m mpspec``: the claims book, the matrix, the guard check.

They read the catalogue, the declared deviations and claims JSON files; they
start no process of the spec.
"""
