"""Workloads that tests start in several children at once."""

from mpspec import children
from mpspec.channel import TIMEOUT


def spin_together(ctx, cpus, seconds):
    """Spin one child per entry of ``cpus`` (a CPU number, or None), all starting together."""
    start = ctx.Event()
    pipes, procs = [], []
    for cpu in cpus:
        receiver, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=children.spin_on_cpu, args=(cpu, start, seconds, sender))
        proc.start()
        sender.close()
        pipes.append(receiver)
        procs.append(proc)
    try:
        # Start the work only when every child is ready: a slow start (spawn, or
        # PyPy's) must not make one child begin after the others.
        for receiver in pipes:
            assert receiver.poll(TIMEOUT)
            assert receiver.recv() == "ready"
        start.set()
        reports = []
        for receiver in pipes:
            assert receiver.poll(TIMEOUT + seconds)
            reports.append(receiver.recv())
        return reports
    finally:
        start.set()  # never leave a child waiting for a start that will not come
        for receiver in pipes:
            receiver.close()
        for proc in procs:
            proc.join(TIMEOUT)


def running_within(periods, begin, end):
    """Seconds of the on-CPU ``periods`` (see children._spin_until) between ``begin`` and
    ``end``."""
    return sum(max(0.0, min(b, end) - max(a, begin)) for a, b in periods)


def simultaneous_running(first, second):
    """Seconds during which two spinning processes were both on a CPU, from their reports."""
    total = 0.0
    a, b = first["periods"], second["periods"]
    i = j = 0
    while i < len(a) and j < len(b):
        total += max(0.0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total
