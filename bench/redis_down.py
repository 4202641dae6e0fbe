"""The filtered list page under load while Redis is down: losing the cache must cost speed,
not the service (errors must stay at 0).

    .venv/bin/python bench/redis_down.py --count 20000 --seconds 30

gunicorn runs with REDIS_URL pointing at a Redis that is stopped, as production would after a
Redis outage; then at a running one, side by side in the same run. Prints both rows and writes
them to bench/results/redis-down-<date>.md.
"""

import argparse
import asyncio
import datetime
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PROJECT, PYTHON, RESULTS, django_env, prepare_database  # noqa: E402
from run import SGI, load, load_result, start_gunicorn  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port):
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/toolkit_bench"
    )
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    prepare_database(args.database_url, args.count, args.seed)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT,
        check=True,
        env=django_env(args.database_url, STATIC_ROOT=str(RESULTS / "static")),
    )
    workers = int(os.environ.get("WEB_CONCURRENCY", "5"))
    port = free_port()
    rows = []
    for case in ("Redis running", "Redis stopped"):
        redis = start_redis(port)
        server = start_gunicorn(
            args.database_url, workers=workers, REDIS_URL=f"redis://127.0.0.1:{port}/0"
        )
        try:
            if case == "Redis stopped":
                redis.kill()
                redis.wait()
            counts = asyncio.run(load(f"/practices/?{SGI[0]}", args.connections, args.seconds))
        finally:
            server.terminate()
            server.wait()
            redis.kill()
            redis.wait()
        row = load_result(f"{case}: ", counts, args.connections, args.seconds)
        rows.append(row)
        print(row)
    lines = [
        f"# Redis outage under load, {datetime.date.today().isoformat()}",
        "",
        f"{args.count} practices, PostgreSQL, gunicorn {workers} sync workers.",
        "",
        "| case | ok | errors | requests/s |",
        "|---|---|---|---|",
        *(
            f"| {r['case']} | {r['ok']} | {r['errors']} | {r['requests_per_second']} |"
            for r in rows
        ),
    ]
    output = RESULTS / f"redis-down-{datetime.date.today().isoformat()}.md"
    output.write_text("\n".join(lines) + "\n")
    print(output)


if __name__ == "__main__":
    main()
