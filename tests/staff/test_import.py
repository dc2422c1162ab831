from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUpEvent
from followup.staff import imports
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "aktivitet_id;datum;antal;plats;sammanfattning;intern_anteckning"


def _upload(client, content: bytes, name="handelser.csv"):
    return client.post(
        reverse("staff:import_upload"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def _day(days_ago=0):
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def test_import_semicolon_windows_1252_file_previews_and_commits(client, police_reporter, traffic):
    text = (
        f"{HEADER}\r\n"
        f"{traffic.pk};{_day()};2;Ryd, Tranås;Hastighetskontroll på Ågatan;Två förare\r\n"
        f"{traffic.pk};{_day()};1;Södra vägen;Nykterhetskontroll;\r\n"
    )
    client.force_login(police_reporter)

    preview = _upload(client, text.encode("cp1252"))
    assert FollowUpEvent.objects.count() == 0
    response = client.post(reverse("staff:import_commit"))

    assert "Alla 2 rader är klara att importera." in preview.content.decode()
    assert response.url == reverse("staff:dashboard")
    events = FollowUpEvent.objects.order_by("pk")
    assert [(e.quantity, e.place, e.summary) for e in events] == [
        (2, "Ryd, Tranås", "Hastighetskontroll på Ågatan"),
        (1, "Södra vägen", "Nykterhetskontroll"),
    ]
    assert events[0].internal_note == "Två förare"


def test_import_utf8_with_bom_and_commas_is_read(client, police_reporter, traffic):
    text = f'{HEADER.replace(";", ",")}\n{traffic.pk},{_day()},3,Ödeshög,"Kontroll, väg 32",\n'
    client.force_login(police_reporter)

    _upload(client, b"\xef\xbb\xbf" + text.encode("utf-8"))
    client.post(reverse("staff:import_commit"))

    event = FollowUpEvent.objects.get()
    assert (event.quantity, event.place, event.summary) == (3, "Ödeshög", "Kontroll, väg 32")


def test_import_mixed_file_shows_errors_by_line_and_saves_nothing(
    client, police_reporter, traffic, kommun_activity, tyreso_activity
):
    future = (timezone.localdate() + timedelta(days=400)).isoformat()
    text = "\n".join(
        [
            HEADER,
            f"{traffic.pk};{_day()};1;;OK-rad;",
            f"{traffic.pk};12/05/2024;1;;;",
            f"{traffic.pk};{future};1;;;",
            f"{traffic.pk};{_day()};många;;;",
            f"{kommun_activity.pk};{_day()};1;;;",
            f"{tyreso_activity.pk};{_day()};1;;;",
            f"999999;{_day()};1;;;",
        ]
    )
    client.force_login(police_reporter)

    response = _upload(client, text.encode("utf-8"))
    commit = client.post(reverse("staff:import_commit"))

    rows = {row.line: row.errors for row in response.context["rows"]}
    assert rows[2] == []
    assert rows[3] == ["datum: ”12/05/2024” är inte ett datum som ÅÅÅÅ-MM-DD."]
    assert rows[4][0].startswith("datum: Datumet ligger")
    assert rows[5] == ["antal: ”många” är inte ett heltal."]
    not_yours = "finns inte, eller så får du inte logga för den."
    assert [rows[line][0].endswith(not_yours) for line in (6, 7, 8)] == [True, True, True]
    assert "6 rader har fel" in response.content.decode()
    assert commit.url == reverse("staff:import_upload")
    assert FollowUpEvent.objects.count() == 0


def test_import_commit_is_all_or_nothing_when_something_changed_since_the_preview(
    client, police_reporter, traffic
):
    text = f"{HEADER}\n{traffic.pk};{_day()};1;;;\n{traffic.pk};{_day(1)};1;;;\n"
    client.force_login(police_reporter)
    _upload(client, text.encode())
    # After the preview the police are no longer responsible for the activity.
    traffic.responsible_organisations.set([factories.municipal_organisation("0687")])

    response = client.post(reverse("staff:import_commit"))

    assert response.status_code == 200
    assert FollowUpEvent.objects.count() == 0


def test_import_formula_and_html_cells_are_kept_as_text_and_escaped(
    client, police_reporter, traffic
):
    text = f'{HEADER}\n{traffic.pk};{_day()};1;=cmd|"/c calc"!A1;<script>alert(1)</script>;\n'
    client.force_login(police_reporter)

    preview = _upload(client, text.encode())
    client.post(reverse("staff:import_commit"))

    event = FollowUpEvent.objects.get()
    assert (event.place, event.summary) == ('=cmd|"/c calc"!A1', "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in preview.content.decode()
    assert "&lt;script&gt;" in preview.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Filen är inte en textfil."),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel-arbetsbok (.xlsx)"),
        ("aktivitet_id;datum\n1;2024-01-01".encode("utf-16"), "UTF-16"),
        (b"", "Filen är tom."),
        (b"namn;telefon\nAnna;070\n", "Första raden ska innehålla kolumnerna"),
        (HEADER.encode() + b"\n;;;;;\n", "Filen innehåller inga rader att importera."),
    ],
)
def test_import_refuses_files_that_are_not_event_csv(client, police_reporter, content, message):
    client.force_login(police_reporter)

    response = _upload(client, content)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert FollowUpEvent.objects.count() == 0


def test_import_refuses_a_file_over_the_size_limit(client, police_reporter):
    client.force_login(police_reporter)
    content = HEADER.encode() + b"\n" + b"1;2024-01-01;1;" + b"x" * imports.MAX_BYTES

    response = _upload(client, content)

    assert "Filen är för stor: högst 1000 kB." in response.content.decode()


def test_import_refuses_more_rows_than_the_limit(client, police_reporter, traffic):
    client.force_login(police_reporter)
    line = f"{traffic.pk};{_day()};1;;;\n"
    content = (HEADER + "\n" + line * (imports.MAX_ROWS + 1)).encode()

    response = _upload(client, content)

    assert "Filen har fler än 2 000 rader." in response.content.decode()
    assert FollowUpEvent.objects.count() == 0


def test_import_template_has_the_columns_with_semicolons(client, police_reporter):
    client.force_login(police_reporter)

    response = client.get(reverse("staff:import_template"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig") == (
        "aktivitet_id;datum;antal;plats;sammanfattning;intern_anteckning;organisation;"
        "skal_efterregistrering\r\n"
    )


def test_import_is_forbidden_for_a_viewer(client, viewer):
    client.force_login(viewer)

    response = client.get(reverse("staff:import_upload"))

    assert response.status_code == 403
