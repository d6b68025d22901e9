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
    start.set()
    try:
        reports = []
        for receiver in pipes:
            assert receiver.poll(TIMEOUT + seconds)
            reports.append(receiver.recv())
        return reports
    finally:
        for receiver in pipes:
            receiver.close()
        for proc in procs:
            proc.join(TIMEOUT)
