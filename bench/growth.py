"""How the toolkit grows: the same pages, the index build and each worker's memory at
10,000 and 100,000 practices (and 1,000,000 with ``--million``), one database of each size.

    .venv/bin/python bench/growth.py [--million] [--workers 3] [--requests 30]

For each size: gunicorn as ``gunicorn.conf.py`` sets it (the index built before the workers
fork), each page's median and p95 over sequential requests after warm-ups, a keyword
searched for the first time (different words, each once), the CSV export of every practice
(rows per second through HTTP, the serving worker's peak memory), the index build timed in
a separate process (median of 3), and each worker's memory after the run: resident (RSS),
its peak (VmHWM) and its proportional share (PSS: pages shared with the master and the other
workers counted once between them). Writes bench/results/growth-<date>.md and
growth-latest.json.
"""

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PROJECT, PYTHON, RESULTS, django_env, prepare_database, write_report  # noqa: E402
from run import (  # noqa: E402
    FIRST_TIME_WORDS,
    OUR_PORT,
    SGI,
    percentile,
    start_gunicorn,
    timed_get,
    worker_pids,
)

SIZES = {
    10_000: "postgres://postgres@127.0.0.1:5432/toolkit_bench_10k",
    100_000: "postgres://postgres@127.0.0.1:5432/toolkit_bench",
    1_000_000: "postgres://postgres@127.0.0.1:5432/toolkit_bench_1m",
}
PAGES = [
    ("list, unfiltered", "/practices/"),
    ("Skills + Green + Intelligence", f"/practices/?{SGI[0]}"),
    ("keyword (warm)", "/practices/?q=hydrogen"),
    ("keyword + two filters (warm)", "/practices/?q=hydrogen&country=FI&challenge=skills"),
    ("list, page 50", "/practices/?page=50"),
    ("detail page", "/practices/synthetic-1-4242/"),
    ("API page (20, facets)", "/api/practices/?challenge=skills&priority=green-transition"),
]
BUILD = """
import statistics, time
from practices.search.facet_index.build import build_index
from practices.search.facet_index.store import data_version
times = []
for _ in range(3):
    started = time.perf_counter()
    index = build_index("default", data_version(), logged=False)
    times.append((time.perf_counter() - started) * 1000)
print(len(index.ids), round(statistics.median(times)))
"""


def memory_mb(pid) -> dict:
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    fields = dict(line.split(":", 1) for line in status)
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    pss = next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
    return {
        "rss": round(int(fields["VmRSS"].split()[0]) / 1024, 1),
        "peak": round(int(fields["VmHWM"].split()[0]) / 1024, 1),
        "pss": round(pss / 1024, 1),
    }


def timings(path, requests, warmups):
    for _ in range(warmups):
        timed_get(f"http://127.0.0.1:{OUR_PORT}{path}")
    times = [timed_get(f"http://127.0.0.1:{OUR_PORT}{path}")[0] for _ in range(requests)]
    return round(statistics.median(times), 1), round(percentile(times, 0.95), 1)


def measure_size(count, database_url, args) -> dict:
    prepare_database(database_url, count, args.seed)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT,
        check=True,
        env=django_env(database_url, STATIC_ROOT=str(RESULTS / "static")),
    )
    result = {"count": count, "pages": {}}
    build = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", BUILD],
        cwd=PROJECT,
        env=django_env(database_url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    result["index_build_ms"] = int(build[-1])
    # (the index is built before the workers fork: 10 s and more at 1,000,000)
    server = start_gunicorn(database_url, workers=args.workers, wait_seconds=600)
    try:
        for name, path in PAGES:
            # warm-ups reach every worker (each keeps its own rankings and templates)
            result["pages"][name] = timings(path, args.requests, warmups=args.workers * 2)
            print(count, name, result["pages"][name], flush=True)
        words = FIRST_TIME_WORDS[: args.requests]
        times = [timed_get(f"http://127.0.0.1:{OUR_PORT}/practices/?q={w}")[0] for w in words]
        result["pages"]["keyword, first time"] = (
            round(statistics.median(times), 1),
            round(percentile(times, 0.95), 1),
        )
        workers = worker_pids(server)
        before = {pid: memory_mb(pid) for pid in workers}
        elapsed, status, size = timed_get(f"http://127.0.0.1:{OUR_PORT}/practices/export.csv")
        if status != 200:
            raise SystemExit(f"The CSV export answered {status}")
        after = {pid: memory_mb(pid) for pid in workers}
        exporter = max(workers, key=lambda pid: after[pid]["peak"] - before[pid]["peak"])
        result["csv"] = {
            "seconds": round(elapsed / 1000, 1),
            "rows_per_second": round(count / (elapsed / 1000)),
            "megabytes": round(size / 2**20, 1),
            # the peak of the worker that served it, and its peak before (a worker's peak may
            # have been reached by an earlier request)
            "worker_peak_mb": after[exporter]["peak"],
            "worker_peak_before_mb": before[exporter]["peak"],
        }
        print(count, "csv", result["csv"], flush=True)
        result["workers"] = list(after.values())
    finally:
        server.terminate()
        server.wait()
    return result


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--million", action="store_true", help="also measure 1,000,000")
    parser.add_argument(
        "--counts", help="sizes to measure, comma-separated (of 10000, 100000, 1000000)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    if args.counts:
        counts = [int(count) for count in args.counts.split(",")]
    else:
        counts = [10_000, 100_000] + ([1_000_000] if args.million else [])
    results = [measure_size(count, SIZES[count], args) for count in counts]
    report(results, args)


def report(results, args):
    machine = (
        f"{platform.node()} ({os.cpu_count()} cores, {platform.machine()},"
        f" Python {platform.python_version()})"
    )
    header = " | ".join(f"{r['count']:,} practices" for r in results)
    lines = [
        f"# Growth, {datetime.date.today().isoformat()}",
        "",
        f"PostgreSQL, gunicorn with {args.workers} workers (gunicorn.conf.py), sequential"
        f" requests ({args.requests} per page after warm-ups), {machine}.",
        "Pages: median / p95 ms.",
        "",
        f"| | {header} |",
        "|---|" + "---|" * len(results),
    ]
    for name in results[0]["pages"]:
        cells = " | ".join("{} / {}".format(*r["pages"][name]) for r in results)
        lines.append(f"| {name} | {cells} |")
    rows = [
        ("index build, ms (median of 3)", lambda r: f"{r['index_build_ms']:,}"),
        ("CSV export, rows/s", lambda r: f"{r['csv']['rows_per_second']:,}"),
        ("CSV export, seconds", lambda r: r["csv"]["seconds"]),
        (
            "CSV export, serving worker's peak MB (before the export)",
            lambda r: "{} ({})".format(
                r["csv"]["worker_peak_mb"], r["csv"].get("worker_peak_before_mb", "")
            ),
        ),
        (
            "memory per worker after the run: RSS / PSS MB (largest)",
            lambda r: "{} / {}".format(
                max(w["rss"] for w in r["workers"]), max(w["pss"] for w in r["workers"])
            ),
        ),
        (
            "memory per worker: peak RSS MB (largest)",
            lambda r: max(w["peak"] for w in r["workers"]),
        ),
    ]
    for name, cell in rows:
        lines.append(f"| {name} | " + " | ".join(str(cell(r)) for r in results) + " |")
    text = "\n".join(lines) + "\n"
    write_report("growth", text, results)
    print(text)


if __name__ == "__main__":
    main()
