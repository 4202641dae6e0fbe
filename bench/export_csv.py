"""Benchmark the CSV export: rows per second and peak memory for 100,000 practices.

    .venv/bin/python bench/export_csv.py [--count 100000] [--database-url URL] [--runs 3]

Each run exports every practice through the real view (filters, streaming response) in a
fresh process, and reports the process's peak resident memory above its start-up level.
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PROJECT, PYTHON, RESULTS, default_sqlite_url, django_env, prepare_database  # noqa: E402

WORKER = r"""
import json, resource, time
import django
django.setup()
from django.test import Client
from django.db import connection

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

from practices.models import Practice

client = Client()
client.get("/healthz")  # connect and import everything before measuring
rows = Practice.objects.published().count()
baseline = peak_mb()
start = time.perf_counter()
response = client.get("/practices/export.csv", HTTP_HOST="127.0.0.1")
size = 0
for chunk in response.streaming_content:
    size += len(chunk)
elapsed = time.perf_counter() - start
print(json.dumps({"rows": rows, "bytes": size, "seconds": elapsed,
                  "peak_mb": peak_mb(), "baseline_mb": baseline}))
"""


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=default_sqlite_url())
    args = parser.parse_args()

    prepare_database(args.database_url, args.count, args.seed)
    runs = []
    for _ in range(args.runs):
        output = subprocess.run(
            [PYTHON, "-c", WORKER],
            cwd=PROJECT,
            env=django_env(args.database_url),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    rates = [run["rows"] / run["seconds"] for run in runs]
    growth = [run["peak_mb"] - run["baseline_mb"] for run in runs]
    summary = {
        "database": args.database_url.split(":")[0],
        "rows": runs[0]["rows"],
        "megabytes": round(runs[0]["bytes"] / 2**20, 1),
        "median_seconds": round(statistics.median(run["seconds"] for run in runs), 2),
        "median_rows_per_second": round(statistics.median(rates)),
        "median_peak_rss_mb": round(statistics.median(run["peak_mb"] for run in runs), 1),
        "median_peak_growth_mb": round(statistics.median(growth), 1),
        "runs": args.runs,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"export_csv_{summary['database']}.json").write_text(
        json.dumps(summary, indent=2) + "\n"
    )
    width = max(map(len, summary))
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
