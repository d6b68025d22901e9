"""Workloads that tests start in several children at once."""

from mpspec.runtime.bounds import TIMEOUT
from mpspec.runtime.targets import common


def spin_together(ctx, cpus, cpu_seconds):
    """Spin one child per entry of ``cpus`` (a CPU number, or None), all starting together,
    all until each of them has used ``cpu_seconds`` of CPU time."""
    start = ctx.Event()
    used = ctx.RawArray("d", len(cpus))  # each child's CPU time so far
    pipes, procs = [], []
    for index, cpu in enumerate(cpus):
        receiver, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=common.spin_on_cpu, args=(cpu, start, cpu_seconds, used, index, sender)
        )
        proc.start()
        sender.close()
        pipes.append(receiver)
        procs.append(proc)
    try:
        # Start the work only when every child is ready: a slow start (spawn, or
        # PyPy's) must not make one child begin after the others.
        for receiver in pipes:
            said = _receive(receiver, TIMEOUT)
            if said != "ready":  # an AssertionError even under python -O
                raise AssertionError(f"a spinning child said {said!r}, not 'ready'")
        start.set()
        # A child stops spinning after TIMEOUT at the latest; then its report must arrive.
        return [_receive(receiver, 2 * TIMEOUT) for receiver in pipes]
    finally:
        start.set()  # never leave a child waiting for a start that will not come
        for receiver in pipes:
            receiver.close()
        for proc in procs:
            proc.join(TIMEOUT)


def running_intervals(samples, busy=0.9):
    """The periods a spinning process was on a CPU, from its (wall, CPU) samples.

    Between two samples it was on a CPU if its CPU time grew by at least ``busy``
    of the wall time; adjacent such periods are merged.
    """
    intervals = []
    for (w1, c1), (w2, c2) in zip(samples, samples[1:]):
        if w2 > w1 and c2 - c1 >= busy * (w2 - w1):
            if intervals and intervals[-1][1] == w1:
                intervals[-1][1] = w2
            else:
                intervals.append([w1, w2])
    return intervals


def simultaneous_running(first, second):
    """Seconds during which two spinning processes were both on a CPU."""
    total = 0.0
    a, b = running_intervals(first["samples"]), running_intervals(second["samples"])
    i = j = 0
    while i < len(a) and j < len(b):
        total += max(0.0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _receive(receiver, timeout):
    """The next object from a child, or AssertionError if none comes within ``timeout``
    or the child's end closed without a word (it never ran as a process of its own)."""
    if not receiver.poll(timeout):
        raise AssertionError(f"a child sent nothing within {timeout}s")
    try:
        return receiver.recv()
    except EOFError:
        raise AssertionError("a child's end of the pipe closed without a word") from None
