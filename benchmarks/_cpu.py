"""Where a benchmark's CPU time went, from Linux /proc.

On a small machine the system under test shares its cores with PostgreSQL, RabbitMQ and the
benchmark's own client or SMTP server, so a throughput ratio is partly a ratio of what those
cost. `snapshot()` before and `spent()` after a run say, per item handled (an application, a
message), how many CPU milliseconds each part used, and how busy the whole machine was:

    before = snapshot({"kx web": server.pid})
    ... the run ...
    usage = spent(before, snapshot({"kx web": server.pid}), items=1000)
    # {"kx web": 2.9, "postgres": 1.3, "rabbitmq": 0.1, "benchmark": 0.2, "machine_busy": 0.93}

Parts are process groups (a gunicorn master and its workers share one when started in a new
session), every PostgreSQL process, every RabbitMQ (Erlang `beam.smp`) process, and this process.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
#: a process's program name (/proc/PID/stat `comm`) -> the part it counts towards
PROGRAMS = {"postgres": "postgres", "beam.smp": "rabbitmq"}


def snapshot(groups: dict[str, int] | None = None) -> dict[str, float]:
    """CPU seconds (user + system) used so far by each named process group, by PostgreSQL, by
    RabbitMQ and by this process; the machine's busy and total CPU seconds; the wall clock."""
    groups = groups or {}
    by_group = {group: name for name, group in groups.items()}
    used = {name: 0.0 for name in [*groups, *PROGRAMS.values()]}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process has gone
            continue
        program = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()  # from the state on: pgrp is the third
        seconds = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
        part = by_group.get(int(fields[2])) or PROGRAMS.get(program)
        if part is not None:
            used[part] += seconds
    used["benchmark"] = time.process_time()
    used.update(_machine())
    used["wall"] = time.monotonic()
    return used


def spent(before: dict[str, float], after: dict[str, float], items: int) -> dict[str, float]:
    """CPU milliseconds per item of each part between two snapshots, and `machine_busy`: the
    share of all the machine's CPU time that was busy (1.0: every core, all the time)."""
    parts = [name for name in after if name not in ("machine_cpu", "machine_busy_cpu", "wall")]
    usage = {name: round((after[name] - before[name]) * 1000 / items, 2) for name in parts}
    total = after["machine_cpu"] - before["machine_cpu"]
    usage["machine_busy"] = round((after["machine_busy_cpu"] - before["machine_busy_cpu"]) / total, 2) if total else 0.0
    return usage


def _machine() -> dict[str, float]:
    """The machine's CPU seconds so far, all and busy (not idle, not waiting for I/O)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    total = sum(values[:8])  # user nice system idle iowait irq softirq steal (guest is in user)
    return {"machine_cpu": total / TICKS, "machine_busy_cpu": (total - idle) / TICKS}


def describe(usage: dict[str, float]) -> str:
    """One line: `kx web 2.9, postgres 1.3, ... ms/item; machine 93% busy`."""
    parts = ", ".join(f"{name} {value}" for name, value in usage.items() if name != "machine_busy")
    return f"{parts} ms/item; machine {usage['machine_busy']:.0%} busy"
