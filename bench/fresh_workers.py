"""Fresh workers: the first requests a just-started gunicorn answers, side by side for the
two designs, runs interleaved so both see the same noise:

- ``cold`` (the previous design, ``GUNICORN_WARM_INDEX=false``): each worker builds the
  search index on its first request;
- ``warm`` (``gunicorn.conf.py``'s default): the master builds it once before forking.

    .venv/bin/python bench/fresh_workers.py [--count 100000] [--runs 5] [--requests 20]
        [--workers 3] [--database-url URL]

For each design: median and p95 of the first requests (sequential, the list page, each
to whichever worker accepts it), the time from start until the server answers, and the
memory of master and workers together (proportional set size: shared pages counted once).
Writes bench/results/fresh_workers.json.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, prepare_database  # noqa: E402
from run import OUR_PORT, percentile, start_gunicorn, timed_get, worker_pids  # noqa: E402

DESIGNS = {"cold": "false", "warm": "true"}


def pss_mb(pid) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_run(database_url, design, workers, requests):
    started = time.monotonic()
    server = start_gunicorn(database_url, workers, GUNICORN_WARM_INDEX=DESIGNS[design])
    up = time.monotonic() - started
    try:
        times = [timed_get(f"http://127.0.0.1:{OUR_PORT}/practices/")[0] for _ in range(requests)]
        memory = pss_mb(server.pid) + sum(pss_mb(pid) for pid in worker_pids(server))
    finally:
        server.terminate()
        server.wait()
    return {"times": times, "up_seconds": up, "pss_mb": memory}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/toolkit_bench"
    )
    args = parser.parse_args()
    prepare_database(args.database_url, args.count, args.seed)
    runs = {design: [] for design in DESIGNS}
    for _ in range(args.runs):
        for design in DESIGNS:
            runs[design].append(one_run(args.database_url, design, args.workers, args.requests))
    summary = {"count": args.count, "workers": args.workers, "runs": args.runs, "designs": {}}
    for design, results in runs.items():
        times = [t for result in results for t in result["times"]]
        summary["designs"][design] = {
            "first_requests_median_ms": round(statistics.median(times), 1),
            "first_requests_p95_ms": round(percentile(times, 0.95), 1),
            "first_requests_max_ms": round(max(times), 1),
            "until_serving_median_s": round(statistics.median(r["up_seconds"] for r in results), 2),
            "memory_pss_mb_median": round(statistics.median(r["pss_mb"] for r in results), 1),
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "fresh_workers.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
