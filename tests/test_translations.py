"""The English catalogue is complete and compiled: every msgid has a translation, none is fuzzy,
and the .mo holds exactly what the .po says (so a forgotten ``msgfmt`` fails here, not in a
user's browser). Regenerate with ``makemessages`` as the README says, then compile."""

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models.utils import get_blank_choice_label
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
# What makemessages reads: the code and templates, not the tests.
SOURCES = ("manage.py", "config", "followup", "promises", "municipalities", "templates", "locale")


def parse_po(text: str) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list), flags,
    obsolete. Enough of the format for what ``makemessages`` writes."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in text.splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith(("|", "#")):  # an obsolete entry's previous msgid or comment
                continue
        if not line:
            finish()
            entry, field = None, None
            continue
        if line.startswith("#,"):
            finish()
            entry = {"flags": {flag.strip() for flag in line[2:].split(",")}, "msgstr": {}}
            continue
        if line.startswith("#"):
            continue
        if entry is None or (line.startswith(("msgid ", "msgctxt ")) and "msgid" in entry):
            finish()
            entry = {"flags": set(), "msgstr": {}}
        entry["obsolete"] = obsolete
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            value = ast.literal_eval(rest)
            field = keyword
        if field.startswith("msgstr"):
            index = int(field[7:-1]) if field.startswith("msgstr[") else 0
            entry["msgstr"][index] = entry["msgstr"].get(index, "") + value
        else:
            entry[field] = entry.get(field, "") + value
    finish()
    return [e for e in entries if not e.get("obsolete")]


@pytest.fixture(scope="module")
def entries():
    return parse_po((LOCALE / "django.po").read_text(encoding="utf-8"))


def _key(entry):
    return f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]


def test_catalogue_has_the_strings_of_the_portal(entries):
    msgids = {entry["msgid"] for entry in entries}

    assert len(entries) > 1000
    assert {"Efter plan", "uppgift saknas", "– Välj –", "Öppna data"} <= msgids


def test_every_msgid_has_an_english_translation(entries):
    untranslated = [
        entry["msgid"]
        for entry in entries
        if entry["msgid"] and not all(text.strip() for text in entry["msgstr"].values())
    ]

    assert untranslated == []


def test_no_translation_is_fuzzy(entries):
    fuzzy = [entry["msgid"] for entry in entries if entry["msgid"] and "fuzzy" in entry["flags"]]

    assert fuzzy == []


def test_compiled_catalogue_matches_the_po(entries):
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog

    expected = {}
    for entry in entries:
        if not entry["msgid"]:
            continue
        if "msgid_plural" in entry:
            for index, text in entry["msgstr"].items():
                expected[(_key(entry), index)] = text
        else:
            expected[_key(entry)] = entry["msgstr"][0]
    compiled = {key: text for key, text in compiled.items() if key != ""}

    assert compiled == expected


def test_every_string_of_the_code_is_translated_in_the_catalogue(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.skip("makemessages needs xgettext (apt-get install gettext)")
    base = Path(settings.BASE_DIR)
    for name in SOURCES:
        if (base / name).is_dir():
            shutil.copytree(
                base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(base / name, tmp_path / name)
    environment = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "-v", "0"],
        cwd=tmp_path,
        env=environment,
        check=True,
    )

    regenerated = parse_po((tmp_path / "locale/en/LC_MESSAGES/django.po").read_text("utf-8"))
    missing = [
        entry["msgid"]
        for entry in regenerated
        if entry["msgid"]
        and ("fuzzy" in entry["flags"] or not all(t.strip() for t in entry["msgstr"].values()))
    ]
    assert missing == []


def test_dropdowns_offer_an_empty_choice_in_the_page_language():
    with translation.override("sv"):
        swedish = str(get_blank_choice_label())
    with translation.override("en"):
        english = str(get_blank_choice_label())

    assert (swedish, english) == ("– Välj –", "– Select –")
