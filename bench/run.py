"""Run every benchmark, one after the other (``make bench``)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
# Each is a script that prints its own figures and exits non-zero when it fails.
BENCHMARKS: tuple[str, ...] = (
    "seed_state.py",
    "import_bench.py",
    "health_bench.py",
    "bench_alignment.py",
)


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(BENCH_DIR / name)], check=False)  # noqa: S603
        print(f"== {name}: {time.perf_counter() - started:.1f} s in all\n", flush=True)
        if result.returncode:
            failed.append(name)
    if failed:
        print(f"Failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
