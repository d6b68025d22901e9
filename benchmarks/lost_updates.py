"""How many updates the tutorial's unlocked ``+=`` loses, for the margin of its test.

    python benchmarks/lost_updates.py [--method fork] [--trials 15] [--seconds 0.2]

Runs the experiment of spec/test_shared_state.py's test of the tutorial's
increment (two processes doing ``value.value += 1``, or ``d[k] += 1`` on a
Manager dict), each trial for a fixed SECONDS rather than until the first lost
update, TRIALS times, and prints the fewest increments made and the fewest and
most lost. Run it under
``taskset -c 0`` for the worst case, both processes on one CPU.
"""

import argparse
import multiprocessing
import time

from mpspec.runtime.targets import shared_state


def trial(ctx, counter, key, seconds):
    tally = ctx.RawArray("l", 3)
    barrier = ctx.Barrier(3)  # the two processes and this one: the trial starts once all meet
    procs = [
        ctx.Process(
            target=shared_state.plus_equals_until_stopped, args=(counter, key, tally, i, barrier)
        )
        for i in range(2)
    ]
    for proc in procs:
        proc.start()
    barrier.wait(60)
    time.sleep(seconds)  # the length of the trial
    tally[shared_state.TALLY_STOP] = 1
    for proc in procs:
        proc.join()
    made = tally[0] + tally[1]
    return made, made - (counter.value if key is None else counter[key])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", default="fork")
    parser.add_argument("--trials", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=0.2)
    args = parser.parse_args()
    ctx = multiprocessing.get_context(args.method)
    with ctx.Manager() as manager:
        for kind in ("Value", "Manager dict"):
            results = []
            for _ in range(args.trials):
                if kind == "Value":
                    counter, key = ctx.Value("i", 0), None
                else:
                    counter, key = manager.dict(k=0), "k"
                results.append(trial(ctx, counter, key, args.seconds))
            lost = [n for _, n in results]
            print(
                f"{args.method} {kind}: fewest made {min(m for m, _ in results)}, "
                f"lost {min(lost)} to {max(lost)} in {args.trials} trials"
            )


if __name__ == "__main__":
    main()
