"""Summarise a py-spy profile recorded with `--format raw` (collapsed stacks).

    py-spy record --pid PID --duration 8 --rate 300 --format raw --output seats.raw
    python bench/pyspy_summary.py seats.raw > bench/profiles/seats.txt

Prints the share of samples spent in each function (self) and under it (inclusive), the
event loop's own frames and the server's start-up frames left out of the inclusive list.
"""

from __future__ import annotations

import re
import sys
from collections import Counter

OUTER = re.compile(
    r"^(_run_module_as_main|_run_code|<module>|main|cmd_serve|run|Server\.run|asyncio_run) "
)


def summarise(path: str, top_self: int = 25, top_inclusive: int = 60) -> str:
    own: Counter[str] = Counter()
    under: Counter[str] = Counter()
    total = 0
    with open(path) as lines:
        for line in lines:
            stack, _, count = line.rstrip().rpartition(" ")
            samples = int(count)
            total += samples
            frames = stack.split(";")
            own[frames[-1]] += samples
            # A function counts once per stack, whatever line of it was running.
            for frame in {re.sub(r":\d+\)$", ")", f) for f in frames}:
                under[frame] += samples
    out = [f"{total} samples", "", "self:"]
    out += [f"{100 * n / total:5.1f}%  {f}" for f, n in own.most_common(top_self)]
    out += ["", "inclusive:"]
    inclusive = [(f, n) for f, n in under.most_common() if not OUTER.match(f)]
    out += [f"{100 * n / total:5.1f}%  {f}" for f, n in inclusive[:top_inclusive]]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(summarise(sys.argv[1]))
