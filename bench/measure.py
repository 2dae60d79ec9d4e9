"""Measuring a command as its own process: wall time and peak memory, nothing of ours."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bot.config import PROJECT_ROOT


def run_measured(database_url: str, *args: str) -> tuple[float, float]:
    """Run ``python -m <args>`` on ``database_url``; return (seconds, peak RSS in MB)."""
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONWARNINGS": "ignore"}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", *args], cwd=PROJECT_ROOT, env=env, stderr=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024
