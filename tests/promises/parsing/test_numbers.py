import pytest

from promises.parsing.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("en", 1),
        ("ett", 1),
        ("två", 2),
        ("tre", 3),
        ("tio", 10),
        ("femton", 15),
        ("nitton", 19),
        ("tjugo", 20),
        ("tjugofem", 25),
        ("trettio", 30),
        ("fyrtio", 40),
        ("nittio", 90),
        ("hundra", 100),
        ("ett hundra", 100),
        ("tvåhundra", 200),
        ("hundrafemtio", 150),
        ("trettio (30)", 30),
        ("femton (15)", 15),
        ("200", 200),
        ("7", 7),
    ],
)
def test_parse_number_reads_words_and_digits(text, value):
    result = parse_number(text)

    assert result == value


def test_parse_number_rejects_other_words():
    result = parse_number("trafikkontroller")

    assert result is None


def test_find_numbers_joins_a_word_and_its_digits_in_brackets():
    text = "genomföra minst trettio (30) trafikkontroller"

    matches = find_numbers(text)

    assert [(m.value, text[m.start : m.end]) for m in matches] == [(30, "trettio (30)")]


def test_find_numbers_marks_en_and_ett_as_possible_articles():
    matches = find_numbers("genomföra en trygghetsvandring och två möten")

    assert [(m.value, m.is_article) for m in matches] == [(1, True), (2, False)]


def test_find_numbers_leaves_out_dates_and_codes():
    matches = find_numbers("Aneby 2023-05-30, vägarna E12 och E45")

    assert matches == []
