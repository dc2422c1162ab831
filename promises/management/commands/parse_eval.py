"""Field accuracy of the promise parser over a corpus directory (DESIGN §12).

    python manage.py parse_eval DIR

DIR holds ``<name>.txt`` with ``<name>.expected.json`` beside it (the JSON shape of
``parse_promise --json``). Expected activities are matched to parsed ones by their text; an
expected activity the parser did not find counts as wrong in every field.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from promises.parsing import parse_text, to_json_dict

FIELDS = ("kind", "quantity", "cadence", "owners", "unit")


@dataclass
class DocumentResult:
    name: str
    activities: int = 0
    right: dict = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    target_right: int = 0  # kind, quantity and cadence all right
    all_right: int = 0  # every field right
    misses: list[str] = field(default_factory=list)
    extra: int = 0


@dataclass
class Report:
    documents: list[DocumentResult]

    @property
    def activities(self) -> int:
        return sum(d.activities for d in self.documents)

    def accuracy(self, name: str) -> float:
        total = self.activities
        if name == "target":
            right = sum(d.target_right for d in self.documents)
        elif name == "all":
            right = sum(d.all_right for d in self.documents)
        else:
            right = sum(d.right[name] for d in self.documents)
        return right / total if total else 1.0


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", _norm(text)))


def _match(expected: dict, parsed: list[dict]) -> dict | None:
    for candidate in parsed:
        if _norm(candidate["text"]) == _norm(expected["text"]):
            return candidate
    best, score = None, 0.0
    for candidate in parsed:
        a, b = _words(expected["text"]), _words(candidate["text"])
        overlap = len(a & b) / max(1, len(a | b))
        if overlap > score:
            best, score = candidate, overlap
    return best if score >= 0.6 else None


def _compare(expected: dict, got: dict | None) -> dict[str, bool]:
    if got is None:
        return dict.fromkeys(FIELDS, False)
    return {
        "kind": got["target_kind"] == expected["target_kind"],
        "quantity": got["quantity"] == expected["quantity"],
        "cadence": got["cadence"] == expected["cadence"],
        "owners": sorted(got["owners"]) == sorted(expected["owners"]),
        "unit": (got["unit_singular"], got["unit_plural"])
        == (expected["unit_singular"], expected["unit_plural"]),
    }


def evaluate_document(name: str, text: str, expected: dict) -> DocumentResult:
    parsed = to_json_dict(parse_text(text))
    got_activities = [a for p in parsed["promises"] for a in p["activities"]]
    result = DocumentResult(name)
    used = []
    for promise in expected["promises"]:
        for activity in promise["activities"]:
            got = _match(activity, [a for a in got_activities if a not in used])
            if got is not None:
                used.append(got)
            checks = _compare(activity, got)
            result.activities += 1
            for key, ok in checks.items():
                result.right[key] += ok
            result.target_right += checks["kind"] and checks["quantity"] and checks["cadence"]
            result.all_right += all(checks.values())
            wrong = [key for key, ok in checks.items() if not ok]
            if wrong:
                result.misses.append(_describe_miss(activity, got, wrong))
    result.extra = len(got_activities) - len(used)
    return result


def _describe_miss(expected: dict, got: dict | None, wrong: list[str]) -> str:
    label = expected["text"][:70]
    if got is None:
        return f"{label}… ({_('hittades inte')})"
    details = []
    for key in wrong:
        if key == "kind":
            details.append(f"{_('typ')} {got['target_kind']} ≠ {expected['target_kind']}")
        elif key == "unit":
            details.append(f"{_('enhet')} {got['unit_singular']!r} ≠ {expected['unit_singular']!r}")
        elif key == "owners":
            details.append(f"{_('ansvar')} {got['owners']} ≠ {expected['owners']}")
        else:
            details.append(f"{key} {got[key]!r} ≠ {expected[key]!r}")
    return f"{label}…: " + "; ".join(details)


def evaluate(directory: Path) -> Report:
    """Parse every ``*.txt`` with an ``*.expected.json`` beside it and compare."""
    documents = []
    for text_path in sorted(directory.glob("*.txt")):
        expected_path = text_path.with_name(text_path.stem + ".expected.json")
        if not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        text = text_path.read_text(encoding="utf-8")
        documents.append(evaluate_document(text_path.stem, text, expected))
    return Report(documents)


class Command(BaseCommand):
    help = "Mät tolkningens träffsäkerhet per fält över en katalog med facit (corpus)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Katalog med <namn>.txt och <namn>.expected.json.")

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(_("Katalogen %(name)s finns inte.") % {"name": directory})
        report = evaluate(directory)
        if not report.documents:
            raise CommandError(
                _("Inga dokument med facit (*.expected.json) i %(name)s.") % {"name": directory}
            )
        out = self.stdout
        out.write(
            _("Dokument: %(documents)s, aktiviteter: %(activities)s")
            % {"documents": len(report.documents), "activities": report.activities}
        )
        for name in FIELDS:
            out.write(f"  {name:<9} {report.accuracy(name):6.1%}")
        out.write(f"  {'kind+quantity+cadence':<9} {report.accuracy('target'):6.1%}")
        out.write(f"  {_('alla fält'):<9} {report.accuracy('all'):6.1%}")
        for document in report.documents:
            if document.misses or document.extra:
                out.write("")
                out.write(
                    _("%(name)s: %(misses)s missar, %(extra)s extra")
                    % {
                        "name": document.name,
                        "misses": len(document.misses),
                        "extra": document.extra,
                    }
                )
                for miss in document.misses:
                    out.write(f"  - {miss}")
