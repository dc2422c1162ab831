from datetime import date

import pytest

from promises.parsing import parse_text, to_json_dict


def _owners_by_text(text):
    result = to_json_dict(parse_text(text))
    return {a["text"]: a["owners"] for p in result["promises"] for a in p["activities"]}


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Medborgarlöfte 2023–2024\n", (date(2023, 1, 1), date(2024, 12, 31))),
        ("Medborgarlöfte 2023-2024\n", (date(2023, 1, 1), date(2024, 12, 31))),
        (
            "Medborgarlöftet gäller från och med den 1 januari – 31 december 2018.\n",
            (date(2018, 1, 1), date(2018, 12, 31)),
        ),
        ("Medborgarlöfte hösten 2015\n", (date(2015, 9, 1), date(2015, 12, 31))),
        ("Medborgarlöfte januari–juni 2024\n", (date(2024, 1, 1), date(2024, 6, 30))),
        ("Gemensamt medborgarlöfte för år 2021 och 2022\n", (date(2021, 1, 1), date(2022, 12, 31))),
        (
            "Medborgarlöftet kommer att löpa från 2018-07-01—2020-06-30\n",
            (date(2018, 7, 1), date(2020, 6, 30)),
        ),
    ],
)
def test_parse_text_finds_the_period(text, period):
    document = parse_text(text)

    assert (document.starts_on.value, document.ends_on.value) == period


def test_parse_text_ignores_years_outside_the_promise_lines():
    text = (
        "Trygghetsmätningen gjordes 2019.\n\nMedborgarlöfte 2021\n\n"
        "- Polisen ska genomföra trafikkontroller.\n"
    )

    document = parse_text(text)

    assert (document.starts_on.value, document.ends_on.value) == (
        date(2021, 1, 1),
        date(2021, 12, 31),
    )


def test_parse_text_starts_the_period_at_the_signing_when_the_text_says_so():
    text = (
        "Medborgarlöfte i Aneby kommun 2023-2024\n\n"
        "Löftena börjar gälla från och med undertecknandet.\n\n"
        "Aneby 2023-05-30\n\nBeata Allen\nKommunstyrelsens ordförande\nAneby kommun\n"
    )

    document = parse_text(text)

    assert document.starts_on.value == date(2023, 5, 30)


def test_parse_text_finds_the_kommun_from_its_genitive():
    document = parse_text("Polisen och Krokoms kommun lovar att arbeta för tryggheten.\n")

    assert document.kommun.value == "Krokom"


def test_parse_text_reads_signatories_in_blocks():
    text = (
        "Aneby 2023-05-30\n\nBeata Allen\nKommunstyrelsens ordförande\nAneby kommun\n\n"
        "Mathias Ljung\nTf Lokalpolisområdeschef\nLokalpolisområde Höglandet.\n"
    )

    result = to_json_dict(parse_text(text))

    assert (result["signed_on"], result["signed_place"], result["signatories"]) == (
        "2023-05-30",
        "Aneby",
        [
            {
                "name": "Beata Allen",
                "title": "Kommunstyrelsens ordförande",
                "organisation": "Aneby kommun",
            },
            {
                "name": "Mathias Ljung",
                "title": "Tf Lokalpolisområdeschef",
                "organisation": "Lokalpolisområde Höglandet",
            },
        ],
    )


def test_parse_text_reads_signatories_in_columns():
    text = (
        "Laxå den 26 oktober 2018\n\n"
        "Harry Lundin      Mats Scherp\n\n"
        "Kommunchef      Lokalpolisområdeschef\n"
    )

    result = to_json_dict(parse_text(text))

    assert [(s["name"], s["title"]) for s in result["signatories"]] == [
        ("Harry Lundin", "Kommunchef"),
        ("Mats Scherp", "Lokalpolisområdeschef"),
    ]
    assert result["signed_on"] == "2018-10-26"


def test_parse_text_reads_signatories_in_a_sentence():
    text = (
        "Medborgarlöftena signerades den 27 november 2015 i Norberg mellan Agneta Kumlin, "
        "lokalpolisområdeschef och Hannu Högberg, kommunchef i Norbergs kommun.\n"
    )

    result = to_json_dict(parse_text(text))

    assert result["signatories"] == [
        {"name": "Agneta Kumlin", "title": "lokalpolisområdeschef", "organisation": None},
        {"name": "Hannu Högberg", "title": "kommunchef", "organisation": "Norbergs kommun"},
    ]
    assert (result["signed_on"], result["signed_place"]) == ("2015-11-27", "Norberg")


def test_parse_text_does_not_take_a_memo_date_for_a_signing():
    text = "TJÄNSTESKRIVELSE\n\n2017-11-13\n\nBo Renman\nKommundirektör\n"

    result = to_json_dict(parse_text(text))

    assert (result["signed_on"], result["signatories"]) == (None, [])


def test_parse_text_takes_owners_from_lead_in_headings():
    text = (
        "Medborgarlöfte 2024\n\nPolisen lovar att:\n\n"
        "- genomföra minst en trafikkontroll per vecka\n"
        "- närvara vid skolavslutningen\n\nKommunen lovar att:\n\n"
        "- ta fram en handlingsplan senast 30 juni\n"
    )

    owners = _owners_by_text(text)

    assert owners == {
        "genomföra minst en trafikkontroll per vecka": ["police"],
        "närvara vid skolavslutningen": ["police"],
        "ta fram en handlingsplan senast 30 juni": ["municipality"],
    }


def test_parse_text_splits_promises_from_activities():
    text = (
        "Medborgarlöfte 2023–2024\n\nPolisen och kommunen lovar att gemensamt jobba för:\n\n"
        "• att öka tryggheten i centrum.\n• en säker trafikmiljö.\n\nAktiviteter\n\n"
        "• Polisen ska genomföra minst 30 trafikkontroller per år.\n\nLägesbild\n\n"
        "Medborgarlöftena kommer att följas upp kontinuerligt.\n"
    )

    result = to_json_dict(parse_text(text))

    assert [(p["title"], len(p["activities"])) for p in result["promises"]] == [
        ("Att öka tryggheten i centrum.", 0),
        ("En säker trafikmiljö.", 0),
        (None, 1),
    ]


def test_parse_text_puts_activities_under_their_topic_heading():
    text = (
        "Medborgarlöfte 2022\n\nFöljande aktiviteter:\n\nTrafik\n- Polisen ska vid tio tillfällen "
        "genomföra hastighetskontroller.\n\nNarkotika\n1. Polisen ska genomföra hundsök i skolor.\n"
        "2. Kommunen ska informera föräldrar.\n"
    )

    result = to_json_dict(parse_text(text))

    assert [(p["title"], len(p["activities"])) for p in result["promises"]] == [
        ("Trafik", 1),
        ("Narkotika", 2),
    ]


def test_parse_text_names_partners_such_as_housing_companies():
    text = (
        "Medborgarlöfte 2022\n\nPolisen, kommunen och Tranemobostäder lovar att:\n\n"
        "- Tranemobostäder ska genomföra trygghetsronder tillsammans med polisen.\n"
    )

    owners = _owners_by_text(text)

    assert list(owners.values()) == [["police", "partner:Tranemobostäder"]]


def test_parse_text_keeps_the_source_of_each_activity_for_highlighting():
    text = (
        "Medborgarlöfte 2024\n\nAktiviteter\n\n"
        "- Polisen ska genomföra minst fem (5) kontroller per år.\n"
    )

    activity = parse_text(text).activities()[0]

    assert text[activity.span[0] : activity.span[1]].strip() == activity.text
    quantity = activity.targets.quantity
    assert text[quantity.span[0] : quantity.span[1]] == "fem (5)"
    assert quantity.confident is True
