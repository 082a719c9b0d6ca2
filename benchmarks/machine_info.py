"""What machine a benchmark ran on: shared by the benchmark scripts so that every results
table describes its machine the same way."""

from __future__ import annotations

from pathlib import Path


def _proc_line(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line
    except OSError:
        pass
    return None


def cpu_model() -> str | None:
    """The CPU's model name from /proc/cpuinfo (None where there is no such file)."""
    line = _proc_line("/proc/cpuinfo", "model name")
    return None if line is None else line.split(":", 1)[1].strip()


def ram_gib() -> float | None:
    """Total memory in GiB from /proc/meminfo (None where there is no such file)."""
    line = _proc_line("/proc/meminfo", "MemTotal")
    return None if line is None else int(line.split()[1]) / 1024 / 1024
