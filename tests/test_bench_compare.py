"""The bench's before/after verdict (bench/compare_before.py): what counts as slower, and that a
comparison that could not run is never read as a pass. The timing itself runs in `make bench`."""

import subprocess

from bench import compare_before


def _result(**medians):
    return {
        "commit": "6004cae",
        "runs": 10,
        "pages": {
            page: {
                "before": {"median_ms": before, "queries": 9},
                "now": {"median_ms": now, "queries": 8},
            }
            for page, (before, now) in medians.items()
        },
    }


def test_check_passes_pages_within_the_tolerance():
    text, ok = compare_before.check(_result(index=(40.0, 43.9), kommun=(90.0, 60.0)))

    assert ok
    assert text.endswith(": none")


def test_check_names_each_page_more_than_ten_percent_slower():
    text, ok = compare_before.check(_result(index=(40.0, 41.0), activity=(30.0, 40.0)))

    assert not ok
    assert "activity 30.0 -> 40.0 ms" in text
    assert "index" not in text


def test_check_fails_when_the_comparison_could_not_run():
    text, ok = compare_before.check({"skipped": "git cannot export 6004cae (no history here)"})

    assert not ok
    assert "not measured" in text


def test_table_shows_both_medians_and_the_ratio():
    table = compare_before.table(_result(period=(50.0, 60.0)))

    line = next(row for row in table.splitlines() if row.strip().startswith("period"))
    assert line.split()[1:4] == ["50.0", "60.0", "1.20"]
    assert "9 -> 8" in line


def test_database_url_keeps_the_server_and_changes_the_name(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@/portal?host=/tmp/pg")

    assert compare_before.database_url("bench_before") == (
        "postgres://postgres@/bench_before?host=/tmp/pg"
    )


def test_export_tree_writes_the_commit_or_says_it_cannot(tmp_path):
    head = subprocess.run(
        ["git", "-C", str(compare_before.ROOT), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if head.returncode == 0:
        assert compare_before.export_tree(head.stdout.strip(), tmp_path / "tree")
        assert (tmp_path / "tree" / "bench" / "run.py").exists()
    assert not compare_before.export_tree("0" * 40, tmp_path / "missing")
    assert not (tmp_path / "missing").exists()
