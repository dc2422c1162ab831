"""The seed documents (shared/seeds) parse to exactly their hand-written structure."""

import json
from pathlib import Path

import pytest

from promises.parsing import parse_text, to_json_dict

CORPUS = Path(__file__).parent / "corpus"
SEEDS = [
    "tranas-2023-2024",
    "tranas-2023-2024-memo",
    "aneby-2023-2024",
    "tranemo-2021-2022",
    "tyreso-2018-memo",
]


@pytest.mark.parametrize("name", SEEDS)
def test_seed_parses_to_its_expected_structure(name):
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))

    result = to_json_dict(parse_text(text))

    assert result == expected


def test_seed_tranas_has_six_activities_with_their_targets():
    text = (CORPUS / "tranas-2023-2024.txt").read_text(encoding="utf-8")

    activities = parse_text(text).activities()

    assert [
        (a.targets.kind.value, a.targets.quantity.value, a.targets.cadence.value)
        for a in activities
    ] == [
        ("count", 30, "year"),
        ("count", 15, "period"),
        ("ongoing", None, ""),
        ("ongoing", None, ""),
        ("ongoing", None, ""),
        ("ongoing", None, ""),
    ]
