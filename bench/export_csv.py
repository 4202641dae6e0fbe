"""Benchmark the exports: rows per second and peak memory for 100,000 practices.

    .venv/bin/python bench/export_csv.py [--count 100000] [--database-url URL] [--runs 3]
        [--paths database,python,xlsx] [--measure-only]

Each run exports every practice through the real view (filters, streaming response) in a
fresh process, and reports the process's peak resident memory and its growth above the
level before the export. Two paths can be measured side by side, runs interleaved so that
both see the same noise: ``database`` is the export as the view runs it (on PostgreSQL the
database writes the lines), ``python`` builds every line in Python
(``python_csv_batches``), as the export did before. On SQLite both are the same code.
``xlsx`` is the Excel workbook of the same search (``/practices/export.xlsx``): its peak
memory, measured at two sizes, says whether it stays flat.
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PROJECT, PYTHON, RESULTS, default_sqlite_url, django_env, prepare_database  # noqa: E402

PATHS = ("database", "python", "xlsx")
CSV_PATHS = ("database", "python")

WORKER = r"""
import json, resource, sys, time
import django
django.setup()
from django.test import Client

from practices.exchange import exports
from practices.models import Practice

if sys.argv[1] == "python":
    exports.postgresql_csv_batches = exports.python_csv_batches

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

client = Client()
client.get("/healthz")  # connect and import everything before measuring
rows = Practice.objects.published().count()
baseline = peak_mb()
start = time.perf_counter()
address = "/practices/export.xlsx" if sys.argv[1] == "xlsx" else "/practices/export.csv"
response = client.get(address, HTTP_HOST="127.0.0.1")
size = 0
for chunk in response.streaming_content:
    size += len(chunk)
elapsed = time.perf_counter() - start
print(json.dumps({"rows": rows, "bytes": size, "seconds": elapsed,
                  "peak_mb": peak_mb(), "baseline_mb": baseline}))
"""


def measure(database_url, path):
    output = subprocess.run(
        [PYTHON, "-c", WORKER, path],
        cwd=PROJECT,
        env=django_env(database_url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def summarise(runs):
    return {
        "rows": runs[0]["rows"],
        "megabytes": round(runs[0]["bytes"] / 2**20, 1),
        "median_seconds": round(statistics.median(run["seconds"] for run in runs), 2),
        "median_rows_per_second": round(
            statistics.median(run["rows"] / run["seconds"] for run in runs)
        ),
        "rows_per_second_each_run": [round(run["rows"] / run["seconds"]) for run in runs],
        "median_peak_rss_mb": round(statistics.median(run["peak_mb"] for run in runs), 1),
        "max_peak_rss_mb": round(max(run["peak_mb"] for run in runs), 1),
        "median_peak_growth_mb": round(
            statistics.median(run["peak_mb"] - run["baseline_mb"] for run in runs), 1
        ),
    }


def runs_label(count) -> str:
    return f"{count // 1000}k" if count % 1000 == 0 else str(count)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=default_sqlite_url())
    parser.add_argument(
        "--paths",
        default=",".join(PATHS),
        help=f"comma-separated, from {', '.join(PATHS)} (default: all)",
    )
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="read the database as it is: no migrate, no generation (never writes to it)",
    )
    args = parser.parse_args()
    paths = [path for path in args.paths.split(",") if path]
    if unknown := set(paths) - set(PATHS):
        parser.error(f"unknown paths: {', '.join(sorted(unknown))}")

    if not args.measure_only:
        prepare_database(args.database_url, args.count, args.seed)
    runs = {path: [] for path in paths}
    for _ in range(args.runs):
        for path in paths:
            runs[path].append(measure(args.database_url, path))
    summary = {
        "database": args.database_url.split(":")[0],
        "runs": args.runs,
        "paths": {path: summarise(path_runs) for path, path_runs in runs.items()},
    }
    if set(CSV_PATHS) <= set(runs):
        rates = {path: summary["paths"][path]["median_rows_per_second"] for path in CSV_PATHS}
        summary["database_over_python"] = round(rates["database"] / rates["python"], 2)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"export_{summary['database']}_{runs_label(args.count)}.json").write_text(
        json.dumps(summary, indent=2) + "\n"
    )
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
