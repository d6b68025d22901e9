"""A module that only child processes import (spec/test_overview.py, claim
separate-interpreters).
"""
