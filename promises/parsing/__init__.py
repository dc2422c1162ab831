"""Rule-based parsing of Swedish medborgarlöfte texts into a draft structure (DESIGN §12).

Public API::

    from promises.parsing import parse_text, parse_file, to_json_dict, extract_text, ParseInputError

``parse_text(text)`` returns a :class:`ParsedDocument` whose values are :class:`Field` objects
(value, source sentence, spans, confident flag); ``to_json_dict(document)`` gives the documented
JSON shape of ``manage.py parse_promise --json``.
"""

from .extract import MAX_BYTES, ParseInputError, extract_text
from .parser import (
    ParsedActivity,
    ParsedDocument,
    ParsedPromise,
    ParsedSignatory,
    parse_text,
)
from .targets import Field, Targets

__all__ = [
    "MAX_BYTES",
    "Field",
    "ParseInputError",
    "ParsedActivity",
    "ParsedDocument",
    "ParsedPromise",
    "ParsedSignatory",
    "Targets",
    "extract_text",
    "parse_file",
    "parse_text",
    "to_json_dict",
]


def parse_file(data: bytes, filename: str) -> ParsedDocument:
    """Extract the text of an uploaded file (``.txt``, ``.pdf``, ``.docx``) and parse it."""
    return parse_text(extract_text(data, filename))


def to_json_dict(document: ParsedDocument) -> dict:
    """The documented JSON shape: keys always present, ``None`` when unknown."""

    def iso(value):
        return value.isoformat() if value else None

    def activity(a: ParsedActivity) -> dict:
        t = a.targets
        counted = t.kind.value == "count"
        return {
            "text": a.text,
            "owners": list(t.owners.value),
            "target_kind": t.kind.value,
            "quantity": t.quantity.value if counted else None,
            "unit_singular": t.unit_singular.value if counted else "",
            "unit_plural": t.unit_plural.value if counted else "",
            "cadence": t.cadence.value if counted else "",
            "due": iso(t.due.value) if t.kind.value == "milestone" else None,
        }

    return {
        "kommun": document.kommun.value,
        "period": {
            "starts_on": iso(document.starts_on.value),
            "ends_on": iso(document.ends_on.value),
        },
        "promises": [
            {"title": p.title.value, "activities": [activity(a) for a in p.activities]}
            for p in document.promises
        ],
        "signatories": [
            {"name": s.name.value, "title": s.title.value, "organisation": s.organisation.value}
            for s in document.signatories
        ],
        "signed_on": iso(document.signed_on.value),
        "signed_place": document.signed_place.value,
    }
