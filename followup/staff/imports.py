"""CSV import of follow-up events: read, check every row, then log them all or none.

The file is what Swedish Excel exports: "CSV (semikolonavgränsad)" in Windows-1252, or
"CSV UTF-8" (with a byte-order mark), with semicolons or commas. The columns are named in the
first row (see COLUMNS; the template file has them). Every row is checked by exactly the rules
of ``followup.services.log_event``: the check runs the service for every row inside a
transaction that is then rolled back, and the commit runs it again for real in one transaction,
so a file is either logged completely or not at all. Who may be named in the organisation
column is the one rule of ``promises.permissions.recordable_organisations``, and when a row may
be logged at all is the one rule of ``followup.services.logging_window``, row by row.

Cell values are only ever data: a cell starting with "=" is stored as that text, never
evaluated, and HTML in a cell is escaped wherever it is shown.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from followup import services
from followup.models import MAX_EVENT_QUANTITY
from promises.models import Activity
from promises.permissions import recordable_organisations

MAX_BYTES = 1_000_000
MAX_ROWS = 2000

COLUMNS = ["aktivitet_id", "datum", "antal", "plats", "sammanfattning", "intern_anteckning"]
# skal_efterregistrering: why an event is logged after the period's logging window has closed
# (an editor only; required then, shown publicly; see followup.services.logging_window).
OPTIONAL_COLUMNS = ["organisation", "skal_efterregistrering"]
REQUIRED_COLUMNS = {"aktivitet_id", "datum"}

# The documented formats only: a whole number in ASCII digits (not "²", not "٣") short enough
# for any database's integer column, and a date as ÅÅÅÅ-MM-DD with nothing before or after it.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# What a service field is called in the file, for messages next to a line.
_FIELD_NAMES = {
    "occurred_on": "datum",
    "quantity": "antal",
    "place": "plats",
    "summary": "sammanfattning",
    "internal_note": "intern_anteckning",
    "organisation": "organisation",
    "kind": "typ",
    "late_reason": "skal_efterregistrering",
}


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why, in Swedish."""


@dataclass
class ImportRow:
    line: int
    cells: dict
    activity: Activity | None = None
    occurred_on: date | None = None
    quantity: int = 1
    organisation_id: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def place(self):
        return self.cells.get("plats", "")

    @property
    def summary(self):
        return self.cells.get("sammanfattning", "")

    @property
    def internal_note(self):
        return self.cells.get("intern_anteckning", "")

    @property
    def late_reason(self):
        return self.cells.get("skal_efterregistrering", "")

    def to_session(self):
        return {"line": self.line, "cells": self.cells}


# --- Reading the file -------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRefused(
            _(
                "Filen är sparad som UTF-16 (”Unicode-text”). Spara den i Excel som ”CSV UTF-8” "
                "eller ”CSV (semikolonavgränsad)”."
            )
        )
    if data.startswith(b"PK\x03\x04"):
        raise FileRefused(
            _(
                "Filen ser ut att vara en Excel-arbetsbok (.xlsx). Spara den i Excel som "
                "”CSV (semikolonavgränsad)” och ladda upp den filen."
            )
        )
    if b"\x00" in data:
        raise FileRefused(_("Filen är inte en textfil. Ladda upp en CSV-fil."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRefused(
            _("Filens teckenkodning känns inte igen. Spara den som ”CSV UTF-8”.")
        ) from None


def read_rows(data: bytes) -> list[ImportRow]:
    """The rows of the file with their line numbers; raises FileRefused for a bad file."""
    if len(data) > MAX_BYTES:
        raise FileRefused(
            _("Filen är för stor: högst %(max)s kB. Dela upp den i flera filer.")
            % {"max": MAX_BYTES // 1000}
        )
    text = decode(data)
    if not text.strip():
        raise FileRefused(_("Filen är tom."))
    header_line = text.lstrip().splitlines()[0]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_column(name) for name in next(reader)]
        known = set(COLUMNS) | set(OPTIONAL_COLUMNS)
        unknown = [name for name in header if name and name not in known]
        missing = sorted(REQUIRED_COLUMNS - set(header))
        if unknown or missing:
            raise FileRefused(
                _(
                    "Första raden ska innehålla kolumnerna %(columns)s. Okända: %(unknown)s. "
                    "Saknas: %(missing)s. Utgå från mallen."
                )
                % {
                    "columns": ";".join(COLUMNS),
                    "unknown": ", ".join(unknown) or "–",
                    "missing": ", ".join(missing) or "–",
                }
            )
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise FileRefused(
                    _("Filen har fler än %(max)s rader. Dela upp den i flera filer.")
                    % {"max": f"{MAX_ROWS:,}".replace(",", " ")}
                )
            values = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}
            row = ImportRow(line=reader.line_num, cells=values)
            if len(cells) > len(header):
                row.errors.append(_("Raden har fler kolumner än rubrikraden."))
            rows.append(row)
    except csv.Error as error:
        raise FileRefused(
            _("Filen kunde inte läsas som CSV (rad %(line)s).") % {"line": reader.line_num}
        ) from error
    if not rows:
        raise FileRefused(_("Filen innehåller inga rader att importera."))
    return rows


def _column(name):
    return name.strip().strip("\ufeff").lower().replace(" ", "_")


# --- Checking and committing -------------------------------------------------------------------


def check_rows(rows: list[ImportRow], user, scope) -> list[ImportRow]:
    """Check every row against permissions and the rules of log_event; writes nothing.

    ``scope`` is the user's StaffScope (``request.scope``)."""
    _prepare(rows, scope)
    with transaction.atomic():
        _log_all(rows, user, scope)
        transaction.set_rollback(True)
    return rows


@transaction.atomic
def commit_rows(rows: list[ImportRow], user, scope) -> int:
    """Log every row, or none: any error rolls the whole import back. Returns the count.

    Side effects: one event (and its history entry) per row, logged by ``user``."""
    _prepare(rows, scope)
    _log_all(rows, user, scope)
    if any(row.errors for row in rows):
        transaction.set_rollback(True)
        return 0
    return len(rows)


def _prepare(rows, scope):
    ids = {row.cells.get("aktivitet_id", "") for row in rows}
    numeric = [number for number in map(_whole_number, ids) if number is not None]
    activities = {
        activity.pk: activity
        for activity in Activity.objects.filter(pk__in=numeric)
        .select_related("period__municipality")
        .prefetch_related("responsible_organisations")
    }
    for row in rows:
        _parse(row, scope, activities)


def _parse(row, scope, activities):
    cells = row.cells
    activity_id = cells.get("aktivitet_id", "")
    number = _whole_number(activity_id)
    activity = activities.get(number) if number is not None else None
    candidates = recordable_organisations(scope, activity) if activity is not None else []
    if not activity_id:
        row.errors.append(_("aktivitet_id saknas."))
    elif not candidates:
        # The same words whether it does not exist or is someone else's: nothing leaks.
        row.errors.append(
            _("Aktivitet %(id)s finns inte, eller så får du inte logga för den.")
            % {"id": activity_id}
        )
    else:
        row.activity = activity

    raw_date = cells.get("datum", "")
    if raw_date == "":
        row.errors.append(_("datum saknas."))
    else:
        row.occurred_on = _iso_date(raw_date)
        if row.occurred_on is None:
            row.errors.append(
                _("datum: ”%(value)s” är inte ett datum som ÅÅÅÅ-MM-DD.") % {"value": raw_date[:40]}
            )

    raw_quantity = cells.get("antal", "").replace(" ", "")
    if raw_quantity:
        quantity = _whole_number(raw_quantity)
        if quantity is not None:
            row.quantity = quantity
        elif raw_quantity.isascii() and raw_quantity.isdigit():
            row.errors.append(
                _("antal: ”%(value)s” är för stort; högst %(max)s per händelse.")
                % {"value": raw_quantity[:40], "max": MAX_EVENT_QUANTITY}
            )
        else:
            row.errors.append(
                _("antal: ”%(value)s” är inte ett heltal.") % {"value": raw_quantity[:40]}
            )

    if row.activity is not None:
        slug = cells.get("organisation", "")
        if slug:
            chosen = [o for o in candidates if o.slug == slug]
            if not chosen:
                row.errors.append(
                    _("organisation: ”%(value)s” är inte en av dina ansvariga organisationer.")
                    % {"value": slug[:60]}
                )
            else:
                row.organisation_id = chosen[0].pk
        elif len(candidates) == 1:
            row.organisation_id = candidates[0].pk
        else:
            row.errors.append(
                _("organisation: ange vilken organisation (%(slugs)s).")
                % {"slugs": ", ".join(o.slug for o in candidates)}
            )


def _whole_number(text):
    """The number written in ASCII digits (at most nine), or None for anything else."""
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else None


def _iso_date(text):
    """The date written exactly as ÅÅÅÅ-MM-DD, or None: no week dates ("2026-W45-1"), no
    "20261109", nothing after the date, so what is stored is what the preview shows."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _log_all(rows, user, scope):
    for row in rows:
        if row.errors:
            continue
        organisation = next(
            o for o in row.activity.responsible_organisations.all() if o.pk == row.organisation_id
        )
        try:
            services.log_event(
                row.activity,
                by=user,
                occurred_on=row.occurred_on,
                quantity=row.quantity,
                organisation=organisation,
                place=row.place,
                summary=row.summary,
                internal_note=row.internal_note,
                late_reason=row.late_reason,
                scope=scope,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = _FIELD_NAMES.get(name)
                for message in messages:
                    row.errors.append(f"{label}: {message}" if label else message)


def template_csv() -> str:
    """The template file's text: the header, semicolon-separated like Swedish Excel."""
    return ";".join(COLUMNS + OPTIONAL_COLUMNS) + "\r\n"
