"""One side of the before/after comparison (bench/compare_before.py), run as its own process.

    python bench/before_child.py TREE prepare EVENTS   migrate, collect static, generate the data
    python bench/before_child.py TREE serve            answer timing requests on stdin

TREE is the root of a checkout of the portal: this repository (today's code) or an export of
the commit before this round. Everything is imported from TREE, so each side runs its own code
against its own database (DATABASE_URL), with the same timing as bench/run.py's rows.

In ``serve`` mode each line on stdin names a row of bench/run.py's table: a page of
``pick_targets()["urls"]`` ("period"), rendered afresh (the cache emptied before it); "period,
cached", the page as served; "period, other kommun writes", served after an event is logged in
another kommun; or "memo PDF" / "report PDF", rendered by ``documents()`` as drafts (PDF/UA-1) on
both sides, as the code before this round wrote every PDF. The answer on stdout is one line of
JSON: ``{"ms": 41.2, "queries": 13}``.
"""

import json
import os
import sys
import time
from pathlib import Path

CACHED_SUFFIX = ", cached"
WHILE_WRITING = "period, other kommun writes"
DOCUMENTS = ("memo PDF", "report PDF")


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
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    targets = run.pick_targets()
    urls = targets["urls"]
    client = Client()
    for line in sys.stdin:
        name = line.strip()
        if name in DOCUMENTS:
            # bench/run.py's documents(): both PDFs of the chosen period, rolled back after, in
            # the PDF variant the code before this round wrote (PDF/UA-1): today's published
            # report is archival PDF/A-2u, a later feature that is not what is compared here.
            result = run.documents(targets, 1, 0, **_same_variant(run))[name]
            print(json.dumps({"ms": result["median_ms"], "queries": result["queries"]}), flush=True)
            continue
        if name == WHILE_WRITING:
            url = urls["period"]
            run.fetch(client, url)  # stored; an event logged in another kommun must not drop it
            targets["write_elsewhere"]()
        elif name.endswith(CACHED_SUFFIX):
            url = urls[name.removesuffix(CACHED_SUFFIX)]
            run.fetch(client, url)  # stored, so the timed request is served from the cache
        else:
            url = urls[name]
            for cache in caches.all():  # pages and, where the code keeps them, cards
                cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            run.fetch(client, url)
            ms = (time.perf_counter() - started) * 1000
        print(json.dumps({"ms": ms, "queries": len(captured.captured_queries)}), flush=True)


def _same_variant(run) -> dict:
    """``draft_report=True`` where ``run.documents`` knows it (today's code), else nothing."""
    import inspect

    return (
        {"draft_report": True}
        if "draft_report" in inspect.signature(run.documents).parameters
        else {}
    )


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
