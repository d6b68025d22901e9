"""A module that only child processes import (claim separate-interpreters)."""
