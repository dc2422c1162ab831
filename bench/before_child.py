"""One side of the before/after comparison (bench/compare_before.py), run as its own process.

    python bench/before_child.py TREE prepare EVENTS   migrate, collect static, generate the data
    python bench/before_child.py TREE serve            answer timing requests on stdin

TREE is the root of a checkout of the portal: this repository (today's code) or an export of
the commit before this round. Everything is imported from TREE, so each side runs its own code
against its own database (DATABASE_URL), with the same timing as bench/run.py's rows.

In ``serve`` mode each line on stdin names a page of ``pick_targets()["urls"]`` ("period"), or
"period, cached" for the page as served; the answer on stdout is one line of JSON:
``{"ms": 41.2, "queries": 13}``. Each timed request is rendered afresh (the cache emptied before
it) apart from "period, cached", as in bench/run.py.
"""

import json
import os
import sys
import time
from pathlib import Path

CACHED_SUFFIX = ", cached"


def load(tree: Path):
    """bench.run of TREE, with Django set up from TREE's settings."""
    os.chdir(tree)
    here = Path(__file__).resolve().parent  # not importable as top-level modules
    sys.path[:] = [str(tree)] + [p for p in sys.path if Path(p or ".").resolve() != here]
    from bench import run  # TREE's bench package: its targets, its fetch

    run.setup_django()
    return run


def prepare(run, events: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    run.generate(events)


def serve(run) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    urls = run.pick_targets()["urls"]
    client = Client()
    for line in sys.stdin:
        name = line.strip()
        cached = name.endswith(CACHED_SUFFIX)
        url = urls[name.removesuffix(CACHED_SUFFIX)]
        if cached:
            run.fetch(client, url)  # stored, so the timed request is served from the cache
        else:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            run.fetch(client, url)
            ms = (time.perf_counter() - started) * 1000
        print(json.dumps({"ms": ms, "queries": len(captured.captured_queries)}), flush=True)


def main() -> None:
    tree, mode = Path(sys.argv[1]).resolve(), sys.argv[2]
    run = load(tree)
    if mode == "prepare":
        prepare(run, int(sys.argv[3]))
    elif mode == "serve":
        serve(run)
    else:
        sys.exit(f"before_child: unknown mode {mode!r}")


if __name__ == "__main__":
    main()
