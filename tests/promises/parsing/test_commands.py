import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

CORPUS = Path(__file__).parent / "corpus"
KEYS = {"kommun", "period", "promises", "signatories", "signed_on", "signed_place"}
ACTIVITY_KEYS = {
    "text",
    "owners",
    "target_kind",
    "quantity",
    "unit_singular",
    "unit_plural",
    "cadence",
    "due",
}


def _run(*args, **kwargs):
    out = io.StringIO()
    call_command("parse_promise", *args, stdout=out, **kwargs)
    return out.getvalue()


def test_parse_promise_json_has_the_documented_shape():
    expected = json.loads((CORPUS / "aneby-2023-2024.expected.json").read_text(encoding="utf-8"))

    result = json.loads(_run(str(CORPUS / "aneby-2023-2024.txt"), "--json"))

    assert result == expected
    assert set(result) == KEYS
    assert set(result["period"]) == {"starts_on", "ends_on"}
    assert {frozenset(a) for p in result["promises"] for a in p["activities"]} == {
        frozenset(ACTIVITY_KEYS)
    }


def test_parse_promise_json_keeps_every_key_when_nothing_is_known():
    result = json.loads(_run("-", "--json", stdin=io.BytesIO("Bara en rad utan löften.".encode())))

    assert result == {
        "kommun": None,
        "period": {"starts_on": None, "ends_on": None},
        "promises": [],
        "signatories": [],
        "signed_on": None,
        "signed_place": None,
    }


def test_parse_promise_reads_standard_input():
    text = (CORPUS / "tranas-2023-2024.txt").read_text(encoding="utf-8")

    result = json.loads(_run("-", "--json", stdin=io.BytesIO(text.encode("utf-8"))))

    assert result["kommun"] == "Tranås"
    assert [a["quantity"] for a in result["promises"][-1]["activities"]][:2] == [30, 15]


def test_parse_promise_prints_a_swedish_summary_without_json():
    output = _run(str(CORPUS / "tranas-2023-2024.txt"))

    assert "Kommun: Tranås" in output
    assert "Period: 2023-01-01 – 2024-12-31" in output
    assert "Ansvar: Polisen. Mål: minst 30 trafikkontroller per år" in output


def test_parse_promise_refuses_a_missing_file_in_swedish(tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        _run(str(tmp_path / "saknas.txt"))


def test_parse_promise_refuses_an_empty_file_in_swedish(tmp_path):
    path = tmp_path / "tom.txt"
    path.write_text("")

    with pytest.raises(CommandError, match="Filen är tom"):
        _run(str(path))


def test_parse_eval_prints_accuracy_per_field_and_the_misses(tmp_path):
    (tmp_path / "doc.txt").write_text(
        "Medborgarlöfte 2024\n\nAktiviteter\n\n"
        "- Polisen ska genomföra minst fem kontroller per år.\n",
        encoding="utf-8",
    )
    wrong = {
        "text": "Polisen ska genomföra minst fem kontroller per år.",
        "owners": ["police"],
        "target_kind": "count",
        "quantity": 6,
        "unit_singular": "kontroll",
        "unit_plural": "kontroller",
        "cadence": "year",
        "due": None,
    }
    expected = {
        "kommun": None,
        "period": {"starts_on": "2024-01-01", "ends_on": "2024-12-31"},
        "promises": [{"title": None, "activities": [wrong]}],
        "signatories": [],
        "signed_on": None,
        "signed_place": None,
    }
    (tmp_path / "doc.expected.json").write_text(json.dumps(expected), encoding="utf-8")
    out = io.StringIO()

    call_command("parse_eval", str(tmp_path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Dokument: 1, aktiviteter: 1"
    assert "  kind      100.0%" in lines
    assert "  quantity    0.0%" in lines
    assert "  - Polisen ska genomföra minst fem kontroller per år.…: quantity 5 ≠ 6" in lines


def test_parse_eval_refuses_a_directory_without_expectations(tmp_path):
    with pytest.raises(CommandError, match="Inga dokument"):
        call_command("parse_eval", str(tmp_path), stdout=io.StringIO())
