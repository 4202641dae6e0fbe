"""The search benchmark: 100,000 practices, real HTTP against gunicorn, side by side with
Datasette over the same data.

    make bench                      # PostgreSQL at postgres://postgres@127.0.0.1:5432/toolkit_bench
    .venv/bin/python bench/run.py --count 100000 --database-url URL --requests 30

It prints one table and writes it to bench/results/bench-<date>.md. Medians and p95 are of
sequential requests (one at a time); the load phase counts errors under 64 concurrent
connections. Datasette runs from its own virtualenv in bench/results/ (installed on first use).
"""

import argparse
import asyncio
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PROJECT, PYTHON, RESULTS, django_env, prepare_database, write_report  # noqa: E402

OUR_PORT, DATASETTE_PORT = 8731, 8732
FACETS = (
    "_facet=country&_facet=territorial_validity&_facet=typology&_facet_array=priorities"
    "&_facet_array=challenges&_facet_array=support&_facet_array=recommendations&_size=10"
)
SGI = (
    "challenge=skills&priority=green-transition&support=intelligence",
    "challenges__arraycontains=skills&priorities__arraycontains=green-transition"
    "&support__arraycontains=intelligence",
)
# (name, our path, Datasette path or None)
CASES = [
    ("list, unfiltered, all facets", "/practices/", f"/practices/practices?{FACETS}"),
    (
        "Skills + Green + Intelligence",
        f"/practices/?{SGI[0]}",
        f"/practices/practices?{SGI[1]}&{FACETS}",
    ),
    ("keyword", "/practices/?q=hydrogen", f"/practices/practices?_search=hydrogen&{FACETS}"),
    (
        "keyword + two filters",
        "/practices/?q=hydrogen&country=FI&challenge=skills",
        f"/practices/practices?_search=hydrogen&country__exact=FI&challenges__arraycontains=skills&{FACETS}",
    ),
    ("detail page", "/practices/synthetic-1-4242/", None),
    ("API page (20, facets)", "/api/practices/?challenge=skills&priority=green-transition", None),
    # 34 rows of counts read from the facet index: it must stay within the list page's budget
    ("themes and gaps", "/themes/", None),
    ("country dashboard", "/countries/fi/", None),
    ("three countries compared", "/compare/?country=DK&country=FI&country=NO", None),
    (
        "comparison of 4 practices",
        "/compare/practices/?"
        + "&".join(f"p=synthetic-1-{number}" for number in (4242, 4243, 4244, 4245)),
        None,
    ),
    (
        "Skills + Green + Intelligence, 2 chosen to compare",
        f"/practices/?{SGI[0]}&p=synthetic-1-4242&p=synthetic-1-4243",
        None,
    ),
]


# Words of the synthetic vocabulary, each matching thousands of practices: one new word per
# request measures a keyword search that no process has ranked yet.
FIRST_TIME_WORDS = (
    "ecosystem manufacturing energy mobility health agri food tourism creative industries "
    "textile electronics battery renewable resilience recovery pandemic startup incubation "
    "acceleration mentoring advisory services platform data artificial cybersecurity logistics "
    "maritime aerospace automotive chemicals construction water waste biodiversity climate"
).split()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed_get(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - local servers
        body = response.read()
        status = response.status
    return (time.perf_counter() - started) * 1000, status, len(body)


def measure(url, requests, warmups=3):
    for _ in range(warmups):
        timed_get(url)
    times = []
    for _ in range(requests):
        elapsed, status, _ = timed_get(url)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        times.append(elapsed)
    return statistics.median(times), percentile(times, 0.95)


def wait_until_up(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            timed_get(url)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def start_gunicorn(database_url, workers, *, wait_seconds=60, **extra_environment):
    environment = django_env(
        database_url,
        STATIC_ROOT=str(RESULTS / "static"),
        WEB_CONCURRENCY=str(workers),
        PORT=str(OUR_PORT),
        LOG_LEVEL="warning",
        RATE_LIMIT_API="1000000/minute",
        RATE_LIMIT_EXPORT="1000000/minute",
        **extra_environment,
    )
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
            "--timeout",
            "300",
            "toolkit.wsgi:application",
        ],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=open(RESULTS / "gunicorn.log", "w"),
    )
    wait_until_up(f"http://127.0.0.1:{OUR_PORT}/healthz", wait_seconds)
    return process


def worker_pids(master):
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def datasette_database(database_url):
    """Our practices, denormalised for Datasette: tags as JSON arrays, an FTS5 index."""
    target = RESULTS / "practices.db"
    if target.exists():
        return target
    print("Building the Datasette copy of the practices ...")
    script = r"""
import json, sqlite3, sys
import django
django.setup()
from practices.models import Practice
target = sqlite3.connect(sys.argv[1])
target.execute("CREATE TABLE practices (slug TEXT PRIMARY KEY, title TEXT, description TEXT, country TEXT,"
               " territorial_validity TEXT, typology TEXT, priorities TEXT, challenges TEXT, support TEXT,"
               " recommendations TEXT, updated TEXT)")
batch = []
queryset = Practice.objects.published().select_related("territorial_validity", "region__typology").prefetch_related(
    "priorities", "challenges", "support_types", "recommendations")
for practice in queryset.iterator(chunk_size=2000):
    batch.append((practice.slug, practice.title, practice.description, practice.country.code,
        practice.territorial_validity.slug, practice.region.typology.slug if practice.region else None,
        json.dumps([t.slug for t in practice.priorities.all()]), json.dumps([t.slug for t in practice.challenges.all()]),
        json.dumps([t.slug for t in practice.support_types.all()]), json.dumps([t.slug for t in practice.recommendations.all()]),
        practice.updated_at.isoformat()))
    if len(batch) == 5000:
        target.executemany("INSERT INTO practices VALUES (?,?,?,?,?,?,?,?,?,?,?)", batch); batch = []
target.executemany("INSERT INTO practices VALUES (?,?,?,?,?,?,?,?,?,?,?)", batch)
for column in ["country", "territorial_validity", "typology", "title"]:
    target.execute(f"CREATE INDEX practices_{column} ON practices({column})")
target.execute("CREATE VIRTUAL TABLE practices_fts USING fts5(title, description, content='practices')")
target.execute("INSERT INTO practices_fts(practices_fts) VALUES ('rebuild')")
target.commit()
"""
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    subprocess.run(
        [PYTHON, "-c", script, str(partial)], cwd=PROJECT, env=django_env(database_url), check=True
    )
    partial.rename(target)
    return target


def start_datasette(database):
    venv = RESULTS / "datasette-venv"
    if not (venv / "bin" / "datasette").exists():
        print("Installing Datasette into its own virtualenv ...")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "datasette>=0.65,<1"], check=True
        )
    process = subprocess.Popen(
        [
            str(venv / "bin" / "datasette"),
            "serve",
            str(database),
            "--port",
            str(DATASETTE_PORT),
            "--setting",
            "facet_time_limit_ms",
            "60000",
            "--setting",
            "sql_time_limit_ms",
            "60000",
            "--setting",
            "suggest_facets",
            "off",
            "--setting",
            "default_facet_size",
            "100",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(RESULTS / "datasette.log", "w"),
    )
    wait_until_up(f"http://127.0.0.1:{DATASETTE_PORT}/practices/practices.json?_size=1")
    if process.poll() is not None:  # another server answered on the port
        raise SystemExit(f"Datasette exited (port {DATASETTE_PORT} taken?): see datasette.log")
    return process


async def load(url_path, connections, seconds):
    """Keep ``connections`` keep-alive connections busy for ``seconds``; count answers."""
    counts = {"ok": 0, "errors": 0}
    deadline = time.monotonic() + seconds

    async def client():
        reader = writer = None
        while time.monotonic() < deadline:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", OUR_PORT)
                writer.write(f"GET {url_path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                await writer.drain()
                status_line = await asyncio.wait_for(reader.readline(), 60)
                length, close = 0, False
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode().partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                    if name.lower() == "connection" and "close" in value.lower():
                        close = True
                await reader.readexactly(length)
                counts["ok" if b" 200 " in status_line else "errors"] += 1
                if close:
                    writer.close()
                    writer = None
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                counts["errors"] += 1
                writer = None

    await asyncio.gather(*(client() for _ in range(connections)))
    return counts


def load_result(label, counts, connections, seconds) -> dict:
    """A row of the report for a load phase on the S+G+I page (``load``'s counts)."""
    return {
        "case": f"{label}{connections} connections for {seconds} s (S+G+I page)",
        "ok": counts["ok"],
        "errors": counts["errors"],
        "requests_per_second": round(counts["ok"] / seconds, 1),
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/toolkit_bench"
    )
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--datasette-requests",
        type=int,
        default=3,
        help="Datasette takes tens of seconds a page with every facet at 100,000 rows",
    )
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--skip-datasette", action="store_true")
    args = parser.parse_args()

    prepare_database(args.database_url, args.count, args.seed)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT,
        check=True,
        env=django_env(args.database_url, STATIC_ROOT=str(RESULTS / "static")),
    )
    datasette = ours = None
    rows = []
    try:
        if not args.skip_datasette:
            datasette = start_datasette(datasette_database(args.database_url))
        ours = start_gunicorn(args.database_url, workers=1)
        for name, our_path, datasette_path in CASES:
            median, p95 = measure(f"http://127.0.0.1:{OUR_PORT}{our_path}", args.requests)
            row = {"case": name, "median_ms": round(median, 1), "p95_ms": round(p95, 1)}
            if datasette and datasette_path:
                theirs, _ = measure(
                    f"http://127.0.0.1:{DATASETTE_PORT}{datasette_path}",
                    args.datasette_requests,
                    warmups=1,
                )
                row["datasette_median_ms"] = round(theirs, 1)
                row["ratio"] = round(median / theirs, 3)
            rows.append(row)
            print(row)
        words = FIRST_TIME_WORDS[: args.requests]
        times = [timed_get(f"http://127.0.0.1:{OUR_PORT}/practices/?q={w}")[0] for w in words]
        row = {
            "case": f"keyword, first time ({len(words)} different words)",
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
        }
        rows.append(row)
        print(row)
        worker = worker_pids(ours)[0]
        before = peak_rss_mb(worker)
        elapsed, _, size = timed_get(f"http://127.0.0.1:{OUR_PORT}/practices/export.csv")
        export = {
            "case": "CSV export, all practices",
            "median_ms": round(elapsed, 1),
            "rows_per_second": round(args.count / (elapsed / 1000)),
            "megabytes": round(size / 2**20, 1),
            "worker_peak_rss_mb": round(peak_rss_mb(worker), 1),
            "worker_rss_before_mb": round(before, 1),
        }
        rows.append(export)
        print(export)
    finally:
        for server in (ours, datasette):
            if server is not None:
                server.terminate()
                server.wait()
    ours = start_gunicorn(args.database_url, workers=int(os.environ.get("WEB_CONCURRENCY", "5")))
    try:
        counts = asyncio.run(load(f"/practices/?{SGI[0]}", args.connections, args.seconds))
    finally:
        ours.terminate()
        ours.wait()
    load_row = load_result("", counts, args.connections, args.seconds)
    rows.append(load_row)
    print(load_row)
    report(rows, args)


def report(rows, args):
    machine = f"{platform.node()} ({os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()})"
    lines = [
        f"# Benchmark, {datetime.date.today().isoformat()}",
        "",
        f"{args.count} practices, {args.database_url.split(':')[0]}, gunicorn sync workers, {machine}.",
        f"Sequential requests: {args.requests} per case after 3 warm-ups "
        f"(Datasette: {args.datasette_requests} after 1).",
        "",
        "| case | median ms | p95 ms | Datasette median ms | ours ÷ Datasette | other |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        other = ", ".join(
            f"{k}={v}"
            for k, v in row.items()
            if k not in {"case", "median_ms", "p95_ms", "datasette_median_ms", "ratio"}
        )
        lines.append(
            f"| {row['case']} | {row.get('median_ms', '')} | {row.get('p95_ms', '')} | "
            f"{row.get('datasette_median_ms', '')} | {row.get('ratio', '')} | {other} |"
        )
    text = "\n".join(lines) + "\n"
    write_report("bench", text, rows)
    print()
    print(text)


if __name__ == "__main__":
    main()
