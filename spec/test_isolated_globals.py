"""A child's change to a module global never reaches the parent; what the child
starts from depends on the start method.

Tutorial, section "防止访问冲突与共享状态": every process has its own memory, so
incrementing a global list in the child leaves the parent's unchanged. Holds,
with a caveat the tutorial does not mention: a fork child starts from the
parent's memory as it was at start(), a spawn or forkserver child re-imports the
module and starts from its import-time value.
"""

import pytest

from mpspec import children
from mpspec.channel import TIMEOUT

pytestmark = pytest.mark.claim("isolated-globals")


def run_and_receive(ctx, target, *args):
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, sender))
    proc.start()
    sender.close()
    try:
        assert receiver.poll(TIMEOUT)
        return receiver.recv()
    finally:
        proc.join(TIMEOUT)
        receiver.close()


def test_child_change_to_a_global_is_invisible_to_the_parent(ctx):
    assert (
        run_and_receive(ctx, children.set_state, "changed by the child") == "changed by the child"
    )
    assert children.STATE == "import-time"


def test_child_sees_a_later_parent_change_only_under_fork(ctx, start_method, monkeypatch):
    monkeypatch.setattr(children, "STATE", "changed by the parent")
    seen = run_and_receive(ctx, children.send_state)
    if start_method == "fork":
        assert seen == "changed by the parent"
    else:
        assert seen == "import-time"
