"""Where real use differs from a warm benchmark, measured side by side: this checkout's server
and an earlier commit's (the previous design), both under gunicorn as `gunicorn.conf.py`
sets it, on the same database, requests interleaved so both see the same noise.

    .venv/bin/python bench/compare.py --baseline COMMIT [--count 100000] [--workers 3]
        [--requests 30] [--writes 15] [--database-url URL]

The earlier commit is checked out into bench/results/baseline-<commit>/ (a git worktree)
and run with this checkout's virtualenv. Cases, each for both servers:

- fresh start: the first requests of a just-started server (the list page);
- a keyword searched for the first time (30 different words, each sent once), alone and
  with two filters;
- the list page and a keyword page right after a write (a practice's text and one of its
  tags changed, as a curator's save changes them), `--writes` times; after each, the API's
  count of that tag is checked against SQL;
- the list page and a keyword page right after an import of 50 new practices (a CSV file
  through `manage.py import_practices`, as curators import), `--imports` times; after each,
  the count on the list is checked against SQL (the imported practices are deleted at the
  end);
- warm pages: the list, Skills + Green transition + Intelligence, a detail page and the API;
- the CSV export of every practice (rows per second, the serving worker's peak memory) and
  each worker's memory after the run.

Writes bench/results/compare-<date>.md and compare-latest.json.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    PROJECT,
    PYTHON,
    RESULTS,
    database_exists,
    django_env,
    prepare_database,
    write_report,
)
from growth import memory_mb  # noqa: E402
from run import (  # noqa: E402
    FIRST_TIME_WORDS,
    SGI,
    percentile,
    timed_get,
    wait_until_up,
    worker_pids,
)

PORTS = {"current": 8741, "baseline": 8742}
REDIS_DATABASES = {8741: 14, 8742: 15}


def baseline_tree(commit: str) -> Path:
    sha = subprocess.run(
        ["git", "rev-parse", "--short", commit], cwd=PROJECT, check=True, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
    tree = RESULTS / f"baseline-{sha}"
    if not tree.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(tree), sha], cwd=PROJECT, check=True
        )
    return tree


def start(directory: Path, port: int, database_url: str, workers: int):
    static = RESULTS / f"static-{port}"
    environment = django_env(
        database_url,
        STATIC_ROOT=str(static),
        WEB_CONCURRENCY=str(workers),
        PORT=str(port),
        LOG_LEVEL="warning",
        RATE_LIMIT_API="1000000/minute",
        RATE_LIMIT_EXPORT="1000000/minute",
        PYTHONPATH=str(directory),
        # as in production, the workers of a server share a cache: each server its own
        REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DATABASES[port]}",
    )
    if not static.exists():
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=directory,
            env=environment,
            check=True,
        )
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null",
         "--timeout", "300", "toolkit.wsgi:application"],
        cwd=directory,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=open(RESULTS / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
    )  # fmt: skip
    wait_until_up(f"http://127.0.0.1:{port}/healthz")
    return process


def stop(process):
    process.terminate()
    process.wait()


def url(server, path):
    return f"http://127.0.0.1:{PORTS[server]}{path}"


def summary(times):
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
    }


def write_one(database_url, slug_number, *, tagged: bool):
    """A curator's save, through SQL: a practice's text changes and it gains or loses the
    thematic priority Green transition. Returns the number of published practices with it."""
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as connection:
        practice, priority = connection.execute(
            "SELECT (SELECT id FROM practices_practice WHERE slug = %s),"
            " (SELECT id FROM practices_thematicpriority WHERE slug = 'green-transition')",
            [f"synthetic-1-{slug_number}"],
        ).fetchone()
        connection.execute(
            "UPDATE practices_practice SET description = description || ' ' WHERE id = %s",
            [practice],
        )
        connection.execute(
            "DELETE FROM practices_practice_priorities"
            " WHERE practice_id = %s AND thematicpriority_id = %s",
            [practice, priority],
        )
        if tagged:
            connection.execute(
                "INSERT INTO practices_practice_priorities (practice_id, thematicpriority_id)"
                " VALUES (%s, %s)",
                [practice, priority],
            )
        connection.commit()
        return connection.execute(
            "SELECT count(*) FROM practices_practice_priorities AS link"
            " JOIN practices_practice AS p ON p.id = link.practice_id"
            " WHERE p.is_published AND link.thematicpriority_id = %s",
            [priority],
        ).fetchone()[0]


IMPORTED = "bench-import-"
IMPORT_SIZE = 50


def import_file(server, round_number) -> Path:
    """A CSV file of 50 new practices: exported ones under new slugs and titles (spread
    through title order, as real titles are)."""
    import csv
    import io

    _, body = get(url(server, "/practices/export.csv?country=FI&challenge=skills"))
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))[:IMPORT_SIZE]
    for number, row in enumerate(rows):
        row["slug"] = f"{IMPORTED}{round_number}-{number}"
        row["title"] = f"{row['title']} (imported, {round_number}-{number})"
    target = RESULTS / "import-50.csv"
    with target.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target


def run_import(database_url, path):
    subprocess.run(
        [PYTHON, "manage.py", "import_practices", str(path)],
        cwd=PROJECT,
        env=django_env(database_url),
        check=True,
        capture_output=True,
    )


def published_count(database_url) -> int:
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as connection:
        return connection.execute(
            "SELECT count(*) FROM practices_practice WHERE is_published"
        ).fetchone()[0]


def delete_imported(database_url):
    """The imported practices, with their tags and history (through the ORM, which knows
    them all)."""
    remove = (
        "from practices.models import Practice;"
        f"Practice.objects.filter(slug__startswith={IMPORTED!r}).delete();"
        f"Practice.history.filter(slug__startswith={IMPORTED!r}).delete()"
    )
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", remove],
        cwd=PROJECT,
        env=django_env(database_url),
        check=True,
    )


def api_count(server, query) -> int:
    _, body = get(url(server, f"/api/practices/?{query}&page_size=1"))
    return json.loads(body)["count"]


def get(address):
    started = time.perf_counter()
    import urllib.request

    with urllib.request.urlopen(address, timeout=300) as response:  # noqa: S310 - local
        body = response.read()
    return (time.perf_counter() - started) * 1000, body


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline", required=True, help="the commit of the previous design")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--writes", type=int, default=15)
    parser.add_argument("--imports", type=int, default=8)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/toolkit_bench"
    )
    args = parser.parse_args()
    if database_exists(args.database_url):  # (a first run has none to clean)
        delete_imported(args.database_url)  # left by a run that was stopped
    prepare_database(args.database_url, args.count, args.seed)
    directories = {"current": PROJECT, "baseline": baseline_tree(args.baseline)}
    for database in REDIS_DATABASES.values():
        subprocess.run(
            ["redis-cli", "-n", str(database), "flushdb"], check=True, capture_output=True
        )
    results = {server: {} for server in directories}

    def record(case, server, times):
        results[server][case] = summary(times)
        print(case, server, results[server][case], flush=True)

    # Fresh start: both servers started anew, their first requests.
    fresh = {server: [] for server in directories}
    for _ in range(3):
        for server, directory in directories.items():
            process = start(directory, PORTS[server], args.database_url, args.workers)
            try:
                fresh[server] += [timed_get(url(server, "/practices/"))[0] for _ in range(10)]
            finally:
                stop(process)
    for server, times in fresh.items():
        record("first requests after a start (list page)", server, times)

    servers = {
        server: start(directory, PORTS[server], args.database_url, args.workers)
        for server, directory in directories.items()
    }
    try:
        for server in servers:  # warm every worker on the current data
            for _ in range(args.workers * 4):
                timed_get(url(server, "/practices/"))
        # Keywords never sent before: each word once to each server, alternating; the two
        # cases take different words (a word's ranking serves every filter after it).
        for case, words, suffix in [
            ("keyword, first time", FIRST_TIME_WORDS[0::2], ""),
            (
                "keyword + two filters, first time",
                FIRST_TIME_WORDS[1::2],
                "&country=FI&challenge=skills",
            ),
        ]:
            times = {server: [] for server in servers}
            for number, word in enumerate(words):
                order = list(servers) if number % 2 else list(reversed(servers))
                for server in order:
                    times[server].append(timed_get(url(server, f"/practices/?q={word}{suffix}"))[0])
            for server, found in times.items():
                record(case, server, found)
        # After a write: the next list page and keyword page, exact.
        after = {server: {"list": [], "keyword": []} for server in servers}
        mismatches = 0
        for number in range(args.writes):
            order = list(servers) if number % 2 else list(reversed(servers))
            for page, query in (("list", ""), ("keyword", "q=energy")):
                expected = write_one(args.database_url, 1000 + number, tagged=page == "list")
                for server in order:
                    elapsed, _ = get(url(server, f"/practices/?{query}"))
                    after[server][page].append(elapsed)
                    found = api_count(server, "priority=green-transition")
                    mismatches += found != expected
        for server, times in after.items():
            record("list page right after a write", server, times["list"])
            record("keyword page right after a write", server, times["keyword"])
        # After an import of 50 new practices: the next list page and keyword page, exact.
        imported = {server: {"list": [], "keyword": []} for server in servers}
        for number in range(args.imports):
            order = list(servers) if number % 2 else list(reversed(servers))
            for page, query in (("list", ""), ("keyword", "q=energy")):
                run_import(args.database_url, import_file("current", f"{number}{page[0]}"))
                expected = published_count(args.database_url)
                for server in order:
                    elapsed, _ = get(url(server, f"/practices/?{query}"))
                    imported[server][page].append(elapsed)
                    mismatches += api_count(server, "") != expected
        for server, times in imported.items():
            record("list page right after an import of 50", server, times["list"])
            record("keyword page right after an import of 50", server, times["keyword"])
        results["count_mismatches_after_writes"] = mismatches
        # Warm pages.
        for case, path in [
            ("list, unfiltered", "/practices/"),
            ("Skills + Green + Intelligence", f"/practices/?{SGI[0]}"),
            ("detail page", "/practices/synthetic-1-4242/"),
            ("API page (20, facets)", "/api/practices/?challenge=skills&priority=green-transition"),
        ]:
            times = {server: [] for server in servers}
            for server in servers:
                for _ in range(args.workers * 3):
                    timed_get(url(server, path))
            for number in range(args.requests):
                order = list(servers) if number % 2 else list(reversed(servers))
                for server in order:
                    times[server].append(timed_get(url(server, path))[0])
            for server, found in times.items():
                record(case, server, found)
        results["csv"], results["memory"] = {}, {}
        for server, process in servers.items():
            workers = worker_pids(process)
            before = {pid: memory_mb(pid)["peak"] for pid in workers}
            elapsed, _ = get(url(server, "/practices/export.csv"))
            after = {pid: memory_mb(pid) for pid in workers}
            exporter = max(workers, key=lambda pid: after[pid]["peak"] - before[pid])
            rows = published_count(args.database_url)
            results["csv"][server] = {
                "rows_per_second": round(rows / (elapsed / 1000)),
                "worker_peak_mb": after[exporter]["peak"],
            }
            results["memory"][server] = {
                "rss_mb": max(memory["rss"] for memory in after.values()),
                "pss_mb": max(memory["pss"] for memory in after.values()),
            }
            print("csv", server, results["csv"][server], results["memory"][server], flush=True)
    finally:
        for process in servers.values():
            stop(process)
        delete_imported(args.database_url)
    report(results, args)


def report(results, args):
    machine = f"{platform.node()} ({os.cpu_count()} cores, {platform.machine()})"
    lines = [
        f"# Side by side, {datetime.date.today().isoformat()}",
        "",
        f"{args.count:,} practices, PostgreSQL, gunicorn with {args.workers} workers"
        f" (gunicorn.conf.py), sequential requests; baseline: {args.baseline}; {machine}.",
        "",
        "| case | median ms | p95 ms | baseline median ms | baseline p95 ms | p95 ratio |",
        "|---|---|---|---|---|---|",
    ]
    for case, current in results["current"].items():
        baseline = results["baseline"].get(case, {})
        ratio = round(current["p95_ms"] / baseline["p95_ms"], 2) if baseline.get("p95_ms") else ""
        lines.append(
            f"| {case} | {current['median_ms']} | {current['p95_ms']} |"
            f" {baseline.get('median_ms', '')} | {baseline.get('p95_ms', '')} | {ratio} |"
        )
    csv, memory = results["csv"], results["memory"]
    lines += [
        "| CSV export of every practice, rows/s | {} | | {} | | |".format(
            f"{csv['current']['rows_per_second']:,}", f"{csv['baseline']['rows_per_second']:,}"
        ),
        "| CSV export, serving worker's peak MB | {} | | {} | | |".format(
            csv["current"]["worker_peak_mb"], csv["baseline"]["worker_peak_mb"]
        ),
        "| memory per worker after the run, RSS / PSS MB (largest) | {} / {} | | {} / {} | | |".format(
            memory["current"]["rss_mb"], memory["current"]["pss_mb"],
            memory["baseline"]["rss_mb"], memory["baseline"]["pss_mb"],
        ),
        "",
        f"Counts on the page right after a write or an import that differed from SQL: "
        f"{results['count_mismatches_after_writes']}.",
    ]  # fmt: skip
    text = "\n".join(lines) + "\n"
    write_report("compare", text, results)
    print(text)


if __name__ == "__main__":
    main()
