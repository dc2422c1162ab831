# ruff: noqa: E501  (the matrix keeps one URL per line, to be read as a table)
"""Every staff URL × every persona (STYLE.md), with another kommun's data present that could
leak: 404 for what a persona may not see, 403 for what it may not do, 302 to the login page for
the anonymous citizen. A 200 on a POST below is a refused (invalid) form, so nothing is written.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

PERSONAS = ["police_reporter", "coordinator", "partner_reporter", "viewer", "outsider", None]

# name, method, URL name, object key, POST data, expected status per persona in PERSONAS order.
# The periods are active, so adopted and locked (issue 12): whoever may edit them is sent back
# to the period's page (302) from the forms of its parts, and may make an amendment instead.
MATRIX = [
    ("dashboard", "get", "staff:dashboard", None, None, (200, 200, 200, 200, 200, 302)),
    ("activity police", "get", "staff:activity_detail", "traffic", None, (200, 200, 404, 200, 404, 302)),
    ("activity tyresö", "get", "staff:activity_detail", "tyreso_activity", None, (404, 404, 404, 404, 200, 302)),
    ("log police", "post", "staff:log_event", "traffic", {}, (200, 403, 404, 403, 404, 302)),
    ("log kommun", "post", "staff:log_event", "kommun_activity", {}, (403, 200, 404, 403, 404, 302)),
    ("log tyresö", "post", "staff:log_event", "tyreso_activity", {}, (404, 404, 404, 404, 200, 302)),
    ("deviation", "get", "staff:deviation_create", "traffic", None, (200, 200, 404, 403, 404, 302)),
    ("deviation post", "post", "staff:deviation_create", "traffic", {}, (200, 200, 404, 403, 404, 302)),
    ("event", "get", "staff:event_detail", "police_event", None, (200, 200, 404, 200, 404, 302)),
    ("event tyresö", "get", "staff:event_detail", "tyreso_event", None, (404, 404, 404, 404, 200, 302)),
    ("edit police event", "get", "staff:event_edit", "police_event", None, (200, 403, 404, 403, 404, 302)),
    ("edit kommun event", "get", "staff:event_edit", "kommun_event", None, (403, 200, 404, 403, 404, 302)),
    ("edit post", "post", "staff:event_edit", "police_event", {}, (200, 403, 404, 403, 404, 302)),
    ("retract", "get", "staff:event_retract", "police_event", None, (200, 403, 404, 403, 404, 302)),
    ("retract post", "post", "staff:event_retract", "police_event", {}, (200, 403, 404, 403, 404, 302)),
    ("import", "get", "staff:import_upload", None, None, (200, 200, 200, 403, 200, 302)),
    ("import post", "post", "staff:import_upload", None, {}, (200, 200, 200, 403, 200, 302)),
    ("import template", "get", "staff:import_template", None, None, (200, 200, 200, 403, 200, 302)),
    ("import commit", "post", "staff:import_commit", None, {}, (302, 302, 302, 403, 302, 302)),
    ("periods", "get", "promises:period_list", None, None, (200, 200, 200, 200, 200, 302)),
    ("period create", "get", "promises:period_create", None, None, (403, 200, 403, 403, 200, 302)),
    ("period", "get", "promises:period_detail", "tranas_period", None, (200, 200, 404, 200, 404, 302)),
    ("period tyresö", "get", "promises:period_detail", "tyreso_period", None, (404, 404, 404, 404, 200, 302)),
    ("period edit", "get", "promises:period_edit", "tranas_period", None, (403, 200, 404, 403, 404, 302)),
    ("period edit post", "post", "promises:period_edit", "tranas_period", {}, (403, 200, 404, 403, 404, 302)),
    ("transition", "post", "promises:period_transition", "tranas_period", {}, (403, 200, 404, 403, 404, 302)),
    ("publish", "post", "promises:period_publish", "tranas_period", {"published": "1"}, (403, 302, 404, 403, 404, 302)),
    ("renew", "get", "promises:period_renew", "tranas_period", None, (403, 200, 404, 403, 404, 302)),
    ("promise create", "get", "promises:promise_create", "tranas_period", None, (403, 302, 404, 403, 404, 302)),
    ("promise edit", "get", "promises:promise_edit", "promise", None, (403, 302, 404, 403, 404, 302)),
    ("promise edit post", "post", "promises:promise_edit", "promise", {}, (403, 302, 404, 403, 404, 302)),
    ("activity create", "get", "promises:activity_create", "tranas_period", None, (403, 302, 404, 403, 404, 302)),
    ("activity edit", "get", "promises:activity_edit", "traffic", None, (403, 302, 404, 403, 404, 302)),
    ("activity edit tyresö", "get", "promises:activity_edit", "tyreso_activity", None, (404, 404, 404, 404, 302, 302)),
    ("signatory create", "get", "promises:signatory_create", "tranas_period", None, (403, 302, 404, 403, 404, 302)),
    ("signatory edit", "get", "promises:signatory_edit", "signatory", None, (403, 302, 404, 403, 404, 302)),
    ("signatory delete", "post", "promises:signatory_delete", "tyreso_signatory", {}, (404, 404, 404, 404, 302, 302)),
    ("source create", "get", "promises:source_create", "tranas_period", None, (403, 302, 404, 403, 404, 302)),
    ("source edit", "get", "promises:source_edit", "source", None, (403, 302, 404, 403, 404, 302)),
    ("source delete", "post", "promises:source_delete", "tyreso_source", {}, (404, 404, 404, 404, 302, 302)),
    ("amendment", "get", "promises:amendment_create", "tranas_period", None, (403, 200, 404, 403, 404, 302)),
    ("password", "get", "site:password_change", None, None, (200, 200, 200, 200, 200, 302)),
]  # fmt: skip

CASES = [
    pytest.param(
        name, method, url_name, key, data, persona, expected[index], id=f"{name}-{persona}"
    )
    for name, method, url_name, key, data, expected in MATRIX
    for index, persona in enumerate(PERSONAS)
]


@pytest.fixture
def world(traffic, kommun_activity, tyreso_activity, tranas_period, police_reporter):
    today = timezone.localdate()
    tyreso_period = tyreso_activity.period
    return {
        "traffic": traffic,
        "kommun_activity": kommun_activity,
        "tyreso_activity": tyreso_activity,
        "tranas_period": tranas_period,
        "tyreso_period": tyreso_period,
        "police_event": factories.event(traffic, today, summary="Polisens kontroll"),
        "kommun_event": factories.event(kommun_activity, today, summary="Trygghetsvandring"),
        "tyreso_event": factories.event(tyreso_activity, today, summary="Tyresö intern"),
        "promise": factories.promise(tranas_period),
        "signatory": factories.signatory(tranas_period, factories.municipal_organisation()),
        "tyreso_signatory": factories.signatory(
            tyreso_period, factories.municipal_organisation("0138")
        ),
        "source": factories.situation_source(tranas_period),
        "tyreso_source": factories.situation_source(tyreso_period),
    }


@pytest.mark.parametrize(
    ("name", "method", "url_name", "key", "data", "persona", "expected"), CASES
)
def test_staff_url_answers_each_persona_as_designed(
    client, request, world, name, method, url_name, key, data, persona, expected
):
    if persona is not None:
        client.force_login(request.getfixturevalue(persona))
    url = reverse(url_name, args=[world[key].pk] if key else [])

    response = getattr(client, method)(url, data or {})

    assert response.status_code == expected
    if persona is None:
        assert response.url.startswith(reverse("site:login"))


@pytest.mark.parametrize("persona", ["police_reporter", "coordinator", "viewer"])
def test_tranas_personas_see_nothing_of_tyreso(client, request, world, persona):
    client.force_login(request.getfixturevalue(persona))

    pages = [
        client.get(reverse(name)).content.decode()
        for name in ("staff:dashboard", "promises:period_list", "staff:import_upload")
    ]

    assert [("Tyresö" in page) for page in pages] == [False, False, False]
