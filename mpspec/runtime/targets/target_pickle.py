"""Child targets of spec/test_target_pickle.py.

See :mod:`mpspec.runtime.targets` for the rules every target follows.
"""

# A lambda at module level: pickle finds it by its module and its name, "<lambda>",
# which is no attribute of the module.
send_ran_lambda = lambda conn: (conn.send("ran"), conn.close())  # noqa: E731
