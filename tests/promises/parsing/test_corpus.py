"""Accuracy over the corpus of real published promises (DESIGN §12, issue 15)."""

from pathlib import Path

from promises.management.commands.parse_eval import evaluate

CORPUS = Path(__file__).parent / "corpus"


def test_corpus_has_the_seeds_and_at_least_twenty_other_documents_with_sources():
    texts = sorted(CORPUS.glob("*.txt"))

    with_expectations = [t for t in texts if t.with_name(t.stem + ".expected.json").exists()]
    with_sources = [t for t in texts if t.with_name(t.stem + ".source").exists()]

    assert len(with_expectations) == len(texts) == len(with_sources)
    assert len(texts) >= 5 + 20


def test_corpus_accuracy_meets_the_thresholds():
    report = evaluate(CORPUS)

    assert report.activities >= 150
    assert report.accuracy("target") >= 0.95  # kind, quantity and cadence all right
    assert report.accuracy("owners") >= 0.90
