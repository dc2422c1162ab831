"""Parse a medborgarlöfte text and print what was found (DESIGN §12).

    python manage.py parse_promise FILE [--json]

FILE may be ``-`` for standard input; ``.pdf`` and ``.docx`` are read by their extension.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from promises.models import Cadence, TargetKind  # labels only; the parser itself is pure Python
from promises.parsing import ParseInputError, extract_text, parse_text, to_json_dict

OWNER_LABELS = {"police": gettext_lazy("Polisen"), "municipality": gettext_lazy("Kommunen")}


class Command(BaseCommand):
    help = "Tolka en text med medborgarlöften (text, PDF eller .docx) och skriv ut resultatet."
    # call_command(..., stdin=stream) for FILE "-" (tests); the command line uses sys.stdin.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help="Filen att tolka, eller - för standard in.")
        parser.add_argument("--json", action="store_true", help="Skriv ut resultatet som JSON.")

    def handle(self, *args, **options):
        name = options["file"]
        try:
            data = self._read(name, options.get("stdin"))
            text = extract_text(data, "" if name == "-" else name)
        except ParseInputError as error:
            raise CommandError(str(error)) from error
        document = parse_text(text)
        result = to_json_dict(document)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary(result))

    def _read(self, name: str, stdin=None) -> bytes:
        if name == "-":
            data = (stdin or sys.stdin.buffer).read()
            return data.encode("utf-8") if isinstance(data, str) else data
        path = Path(name)
        if not path.is_file():
            raise CommandError(_("Filen %(name)s finns inte.") % {"name": name})
        return path.read_bytes()


def _target(activity: dict) -> str:
    kind = activity["target_kind"]
    if kind == "count":
        unit = activity["unit_plural"] if activity["quantity"] != 1 else activity["unit_singular"]
        cadence = Cadence(activity["cadence"]).label
        return _("minst %(quantity)s %(unit)s %(cadence)s") % {
            "quantity": activity["quantity"],
            "unit": unit,
            "cadence": cadence,
        }
    label = str(TargetKind(kind).label).lower()
    if kind == "milestone" and activity["due"]:
        return _("%(kind)s, senast %(due)s") % {"kind": label, "due": activity["due"]}
    return label


def summary(result: dict) -> str:
    """A readable plain-text summary in Swedish."""
    period = result["period"]
    lines = [
        _("Kommun: %(kommun)s") % {"kommun": result["kommun"] or _("(okänd)")},
        _("Period: %(start)s – %(end)s")
        % {"start": period["starts_on"] or "?", "end": period["ends_on"] or "?"},
    ]
    for number, promise in enumerate(result["promises"], start=1):
        title = promise["title"] or _("(aktiviteter utanför något löfte)")
        lines.append("")
        lines.append(_("Löfte %(number)s: %(title)s") % {"number": number, "title": title})
        for activity in promise["activities"]:
            owners = ", ".join(
                str(OWNER_LABELS.get(o, o.removeprefix("partner:"))) for o in activity["owners"]
            )
            lines.append(f"  - {activity['text']}")
            lines.append(
                "    "
                + _("Ansvar: %(owners)s. Mål: %(target)s")
                % {"owners": owners, "target": _target(activity)}
            )
    if result["signatories"]:
        lines.append("")
        lines.append(_("Undertecknare:"))
        for signatory in result["signatories"]:
            parts = [signatory["name"], signatory["title"], signatory["organisation"]]
            lines.append("  " + ", ".join(p for p in parts if p))
    if result["signed_on"] or result["signed_place"]:
        lines.append(
            f"Undertecknat: {result['signed_place'] or ''} {result['signed_on'] or ''}".rstrip()
        )
    return "\n".join(lines)
