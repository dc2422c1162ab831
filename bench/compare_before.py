"""Before and after in the same minutes: today's pages against the code before this round.

Issue 11 asks that no page be slower than before this round's restructuring. A median stored
from another day cannot answer that on this machine: the same code reads 30 % apart between runs
an hour apart. So ``make bench`` exports the commit before the round (``BEFORE_COMMIT``) from
git, gives it its own database on the same PostgreSQL with the same generated data, and times
both versions of each page in alternation (A B B A ...), each in its own process
(bench/before_child.py), so that both meet the same load.

If git or the commit is not available (an export without history), the comparison is skipped
and the bench says so.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "before_child.py"
# The last commit before this round (README › Performance names it too).
BEFORE_COMMIT = "6004cae"
BEFORE_DATABASE = "bench_before"
PAGES = [
    *("index", "kommun", "period", "activity", "theme", "feed"),
    *("period, cached", "period, other kommun writes", "memo PDF", "report PDF"),
]
# A PDF takes a few hundred milliseconds: fewer rounds of those.
SLOW = {"memo PDF": 12, "report PDF": 12}
# Allowed excess of today's median over before's, measured in alternation.
TOLERANCE = 1.10


def database_url(name: str) -> str:
    """DATABASE_URL with another database name on the same server."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def export_tree(commit: str, into: Path) -> bool:
    """Write the files of ``commit`` into ``into``; False when git or the commit is missing."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        return False
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return True


def create_database(name: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')


def start(tree: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(tree), "serve"],
        env={**os.environ, "DATABASE_URL": url},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def ask(child: subprocess.Popen, page: str) -> dict:
    child.stdin.write(page + "\n")
    child.stdin.flush()
    line = child.stdout.readline()
    if not line:
        raise RuntimeError(f"bench/before_child.py stopped while timing {page!r}")
    return json.loads(line)


def alternate(before, now, runs: int, warmups: int) -> dict:
    """Median ms and queries of each page on both sides, timed in A B B A order."""
    results = {}
    for page in PAGES:
        for _ in range(warmups if page not in SLOW else 1):
            ask(before, page), ask(now, page)
        times = {"before": [], "now": []}
        queries = {}
        for index in range(SLOW.get(page, runs)):
            order = [("before", before), ("now", now)]
            for side, child in order if index % 2 == 0 else reversed(order):
                answer = ask(child, page)
                times[side].append(answer["ms"])
                queries[side] = answer["queries"]
        results[page] = {
            side: {"median_ms": round(statistics.median(values), 2), "queries": queries[side]}
            for side, values in times.items()
        }
        print(
            f"   {page:<16} before {results[page]['before']['median_ms']} ms, "
            f"now {results[page]['now']['median_ms']} ms",
            flush=True,
        )
    return results


def compare(events: int, runs: int, warmups: int) -> dict:
    """Time today's pages against ``BEFORE_COMMIT``'s on the same data size, in alternation.

    Side effects: creates (and leaves) the database ``BEFORE_DATABASE`` on the bench's server
    and a temporary export of the commit, removed afterwards. Returns ``{"skipped": why}`` when
    the commit cannot be exported.
    """
    with tempfile.TemporaryDirectory(prefix="bench-before-") as workdir:
        tree = Path(workdir) / "tree"
        if not export_tree(BEFORE_COMMIT, tree):
            return {"skipped": f"git cannot export {BEFORE_COMMIT} (no history here)"}
        create_database(BEFORE_DATABASE)
        url = database_url(BEFORE_DATABASE)
        subprocess.run(
            [sys.executable, str(CHILD), str(tree), "prepare", str(events)],
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        before, now = start(tree, url), start(ROOT, os.environ["DATABASE_URL"])
        try:
            pages = alternate(before, now, runs, warmups)
        finally:
            for child in (before, now):
                child.stdin.close()
                child.wait(timeout=60)
    return {"commit": BEFORE_COMMIT, "events": events, "runs": runs, "pages": pages}


def check(result: dict) -> tuple[str, bool]:
    """The verdict line: no page more than TOLERANCE slower than before, timed in alternation."""
    if "skipped" in result:
        return (f"no page slower than before this round: not measured ({result['skipped']})", False)
    slower = [
        f"{page} {sides['before']['median_ms']} -> {sides['now']['median_ms']} ms"
        for page, sides in result["pages"].items()
        if sides["now"]["median_ms"] > sides["before"]["median_ms"] * TOLERANCE
    ]
    what = "; ".join(slower) if slower else "none"
    return (
        f"pages more than 10 % slower than {result['commit']} (timed in alternation): {what}",
        not slower,
    )


def table(result: dict) -> str:
    """The comparison as printed after the main table."""
    if "skipped" in result:
        return f"Before this round: not measured ({result['skipped']})."
    lines = [
        f"Before this round ({result['commit']}) and now, {result['runs']} requests each "
        f"(PDFs {SLOW['memo PDF']}), timed in alternation:",
        f"  {'page':<16} {'before ms':>10} {'now ms':>10} {'now/before':>11} {'queries':>9}",
    ]
    for page, sides in result["pages"].items():
        was, now = sides["before"], sides["now"]
        lines.append(
            f"  {page:<16} {was['median_ms']:>10} {now['median_ms']:>10} "
            f"{now['median_ms'] / was['median_ms']:>11.2f} "
            f"{was['queries']:>4} -> {now['queries']}"
        )
    return "\n".join(lines)
