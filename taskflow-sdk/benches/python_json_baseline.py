#!/usr/bin/env python3
"""Python baseline for the JSON codec bench: `json.loads` of a JSON-RPC search_read response the
Rust bench wrote, then one record object per row (what a client hands its caller).

    python_json_baseline.py RESPONSE.json

Prints one line the Rust bench parses (best of 3, seconds):
    PYTHON_JSON bytes=<n> records=<n> seconds=<wall> cpu_seconds=<CPU>
"""

import gc
import json
import sys
import time


class Record:
    """A record with its fields as attributes, as client libraries wrap rows."""

    __slots__ = ("__dict__",)

    def __init__(self, values):
        self.__dict__.update(values)


def decode(data):
    answer = json.loads(data)
    return [Record(values) for values in answer["result"]]


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    best_wall = best_cpu = float("inf")
    records = 0
    gc.disable()
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        records = len(decode(data))
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        gc.collect()
    print(
        f"PYTHON_JSON bytes={len(data)} records={records} "
        f"seconds={best_wall:.6f} cpu_seconds={best_cpu:.6f}"
    )


if __name__ == "__main__":
    main()
