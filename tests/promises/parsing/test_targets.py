from datetime import date

import pytest

from promises.parsing.targets import ActivityContext, analyse

TWO_YEARS = ActivityContext(date(2023, 1, 1), date(2024, 12, 31))
ONE_YEAR = ActivityContext(date(2024, 1, 1), date(2024, 12, 31))


def _target(text, context=TWO_YEARS):
    targets = analyse(text, 0, context)
    return (targets.kind.value, targets.quantity.value, targets.cadence.value)


@pytest.mark.parametrize(
    ("phrase", "cadence"),
    [
        ("per år", "year"),
        ("varje år", "year"),
        ("årligen", "year"),
        ("per vecka", "week"),
        ("varje vecka", "week"),
        ("per dygn", "day"),
        ("varje dygn", "day"),
        ("per månad", "month"),
        ("i månaden", "month"),
        ("per tertial", "tertial"),
        ("under perioden", "period"),
    ],
)
def test_analyse_reads_the_cadence(phrase, cadence):
    text = f"Polisen ska genomföra minst tre trafikkontroller {phrase}."

    result = _target(text)

    assert result == ("count", 3, cadence)


def test_analyse_turns_an_average_per_month_into_a_yearly_target():
    text = "Polisen ska genomföra i snitt två fotpatruller per månad över året."

    result = _target(text)

    assert result == ("count", 24, "year")


def test_analyse_reads_under_aret_as_the_period_in_a_one_year_period():
    text = "Under året genomföra minst fyra samverkansmöten."

    one_year, two_years = _target(text, ONE_YEAR), _target(text, TWO_YEARS)

    assert (one_year, two_years) == (("count", 4, "period"), ("count", 4, "year"))


def test_analyse_counts_without_a_cadence_over_the_whole_period():
    result = _target("Polisen lovar att genomföra minst femton (15) riktade insatser.")

    assert result == ("count", 15, "period")


def test_analyse_gives_singular_and_plural_of_the_unit():
    targets = analyse(
        "Polisen ska genomföra minst trettio (30) trafikkontroller per år.", 0, TWO_YEARS
    )

    assert (targets.unit_singular.value, targets.unit_plural.value) == (
        "trafikkontroll",
        "trafikkontroller",
    )


def test_analyse_keeps_the_adjective_of_the_unit():
    targets = analyse(
        "Polisen ska genomföra minst tio riktade insatser mot narkotika.", 0, TWO_YEARS
    )

    assert (targets.unit_singular.value, targets.unit_plural.value) == (
        "riktad insats",
        "riktade insatser",
    )


def test_analyse_does_not_count_an_age():
    result = _target(
        "Polisen ska identifiera ungdomar i åldern 21 år och yngre som brukar narkotika."
    )

    assert result == ("ongoing", None, "")


def test_analyse_does_not_count_an_article():
    text = (
        "Polisen ska arbeta för en säker trafikmiljö och därför genomföra trafikkontroller per år."
    )

    result = _target(text)

    assert result == ("ongoing", None, "")


@pytest.mark.parametrize(
    "text",
    [
        "Om det uppkommer önskemål om trygghetsvandringar så lovar vi att bistå.",
        "Polisen håller föreläsningar i skolorna vid förfrågan.",
        "Önskar en förening kunskap om inbrott så lovar vi att ge den.",
    ],
)
def test_analyse_reads_on_request(text):
    result = _target(text)

    assert result == ("on_request", None, "")


@pytest.mark.parametrize(
    "text",
    [
        "Polisen ska kontinuerligt genomföra trafikkontroller.",
        "Kommunen arbetar löpande med grannsamverkan.",
        "Polisen ska regelbundet genomföra trafikkontroller i hela kommunen.",
        "Kommunen ska aktivt arbeta för en hög skolnärvaro.",
    ],
)
def test_analyse_reads_work_without_a_number_as_ongoing(text):
    result = _target(text)

    assert result == ("ongoing", None, "")


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Kommunen ska upprätta en handlingsplan mot langning.", None),
        (
            "Polisen och kommunen ska ta fram en gemensam lägesbild senast 30 juni.",
            date(2023, 6, 30),
        ),
        ("Kommunen ska genomföra en trygghetsvandring i januari.", date(2023, 1, 31)),
        ("Kommunen ska upplåta en lämplig lokal.", None),
        ("Polisen genomför en trygghetsundersökning 2024.", date(2024, 12, 31)),
    ],
)
def test_analyse_reads_one_off_work_as_a_milestone_with_its_due_date(text, due):
    targets = analyse(text, 0, TWO_YEARS)

    assert (targets.kind.value, targets.due.value) == ("milestone", due)


def test_analyse_resolves_a_due_month_in_the_periods_second_year():
    context = ActivityContext(date(2023, 5, 30), date(2024, 12, 31))

    targets = analyse("Kommunen ska ta fram en rutin i januari.", 0, context)

    assert targets.due.value == date(2024, 1, 31)


def test_analyse_reads_en_with_a_cadence_as_a_count():
    result = _target("Kommunen och polisen ska gemensamt genomföra en trygghetsvandring per år")

    assert result == ("count", 1, "year")


def test_analyse_adds_up_the_same_unit_named_twice():
    text = (
        "Kommunen ska genomföra två trygghetsvandringar i centrum "
        "samt två trygghetsvandringar i Mariannelund."
    )

    result = _target(text)

    assert result == ("count", 4, "period")


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("Polisen ska genomföra minst tio riktade insatser.", ["police"]),
        (
            "Kommunen lovar att tillsammans med polisen genomföra krogkontroller.",
            ["police", "municipality"],
        ),
        ("Kommunen ska genomföra informationssatsningar.", ["municipality"]),
        ("Polisen och kommunen ska gemensamt hålla orossamtal.", ["police", "municipality"]),
        (
            "Polis, skola och socialtjänst kommer att anordna en kväll varje år.",
            ["police", "municipality"],
        ),
        ("Återkommande samverkansmöten mellan kommunen och polisen.", ["police", "municipality"]),
        ("Polisen ska jobba i samverkan med kommunen.", ["police", "municipality"]),
        ("Ökad polisiär närvaro i de östra delarna av kommunen.", ["police"]),
        ("Fältarbetare finns alltid ute bland ungdomarna.", ["municipality"]),
    ],
)
def test_analyse_finds_the_owners(text, owners):
    targets = analyse(text, 0, TWO_YEARS)

    assert targets.owners.value == owners


def test_analyse_names_a_partner_as_owner():
    context = ActivityContext(date(2021, 1, 1), date(2022, 12, 31), partners=("Tranemobostäder",))

    targets = analyse(
        "Tranemobostäder ska tillsammans med polisen genomföra trygghetsronder.", 0, context
    )

    assert targets.owners.value == ["police", "partner:Tranemobostäder"]


def test_analyse_points_at_the_words_it_read_and_flags_guesses():
    text = "Genomföra minst 10 riktade insatser mot alkohol och droger."

    targets = analyse(text, 100, TWO_YEARS)

    assert targets.quantity.span == (100 + text.index("10"), 100 + text.index("10") + 2)
    assert targets.quantity.sentence == text
    assert targets.quantity.sentence_span == (100, 100 + len(text))
    assert targets.owners.confident is False
