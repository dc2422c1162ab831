"""Open data: periods, promises, activities (with target and progress) and public events.

Every dataset is described once here (field name, type, meaning); the /data/ page documents the
fields from these descriptions and the downloads write exactly these columns, so the two cannot
drift apart. Rows are read with ``.iterator(chunk_size=…)`` and written as they come, so the
whole country never sits in memory.

The files are built outside the request, once per data version, and served as files (by nginx
behind the proxy): ``followup.public.downloads`` builds, keeps and serves them.

Only public data is published: published periods, and for events the public fields (date,
quantity, organisation, place, summary, retraction, when logged and whether late). Where a
period's police publish monthly counts only, their events are not in ``handelser`` but summed per
completed month in ``manadsantal`` (the running month once it has ended).
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import batched

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from followup.models import FollowUpEvent
from followup.progress import public_progress_for
from followup.public.event_queries import public_events
from promises.models import Activity, Amendment, AmendmentChange, Promise, PromisePeriod
from promises.targets import target_text

CHUNK_SIZE = 2000
# Rows per piece of a streamed download.
ROWS_PER_PIECE = 500
LICENCE = "CC0-1.0"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"

TEXT, INTEGER, DATE, BOOLEAN = _("text"), _("heltal"), _("datum"), _("sant/falskt")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    meaning: str


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    fields: list[Field]
    rows: Callable  # (municipality or None, base_url) -> iterator of row lists


def _period_url(base_url, period):
    return base_url + reverse("public:period_detail", args=[period.municipality.slug, period.slug])


def _period_rows(municipality, base_url) -> Iterator[list]:
    periods = PromisePeriod.objects.public().select_related("municipality__county", "police_area")
    if municipality is not None:
        periods = periods.filter(municipality=municipality)
    for period in periods.order_by("municipality__code", "starts_on", "slug").iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield [
            period.municipality.code,
            period.municipality.name,
            period.municipality.county.name,
            period.slug,
            period.title,
            period.starts_on,
            period.ends_on,
            period.status,
            period.adopted_on,
            period.decision_reference,
            period.police_area.name if period.police_area else "",
            period.signed_on,
            period.signed_place,
            period.police_monthly_only_in_public,
            period.is_demo,
            _period_url(base_url, period),
        ]


def _promise_rows(municipality, base_url) -> Iterator[list]:
    promises = Promise.objects.public().select_related("period__municipality", "theme")
    if municipality is not None:
        promises = promises.filter(period__municipality=municipality)
    ordering = ("period__municipality__code", "period__starts_on", "period__slug", "position")
    for promise in promises.order_by(*ordering).iterator(chunk_size=CHUNK_SIZE):
        yield [
            promise.pk,
            promise.period.municipality.code,
            promise.period.slug,
            promise.position,
            promise.title,
            promise.text,
            promise.theme.slug if promise.theme else "",
            promise.theme.name if promise.theme else "",
            promise.target_group,
            promise.period.is_demo,
        ]


def _activity_rows(municipality, base_url) -> Iterator[list]:
    activities = (
        Activity.objects.public()
        .select_related("period__municipality", "promise")
        .prefetch_related("responsible_organisations")
    )
    if municipality is not None:
        activities = activities.filter(period__municipality=municipality)
    ordering = ("period__municipality__code", "period__starts_on", "period__slug", "position")
    today = timezone.localdate()
    rows = activities.order_by(*ordering).iterator(chunk_size=CHUNK_SIZE)
    # Progress of each chunk in one query: the same rules and numbers as the pages.
    for chunk in batched(rows, CHUNK_SIZE):
        progresses = public_progress_for(chunk, today=today)
        for activity in chunk:
            progress = progresses[activity.pk]
            current = progress.current
            period = activity.period
            # Open data speaks Swedish whatever the page's language: stable values.
            with translation.override(settings.LANGUAGE_CODE):
                target_words, status_words = target_text(activity), str(progress.status.label)
                bucket_label = current.label if current else ""
            yield [
                activity.pk,
                period.municipality.code,
                period.slug,
                activity.promise.position if activity.promise else None,
                activity.position,
                activity.description,
                "; ".join(o.name for o in activity.responsible_organisations.all()),
                activity.target_kind,
                activity.target_quantity,
                activity.unit_plural,
                activity.cadence,
                target_words,
                progress.status.value,
                status_words,
                bucket_label,
                current.start if current else None,
                current.end if current else None,
                current.target if current else None,
                current.done if current else None,
                current.expected if current else None,
                progress.done_total,
                progress.requested_total,
                period.is_demo,
                base_url
                + reverse(
                    "public:activity_detail",
                    args=[period.municipality.slug, period.slug, activity.pk],
                ),
            ]


def _event_rows(municipality, base_url) -> Iterator[list]:
    """Public events, oldest id first, read as plain tuples (no model objects) for speed."""
    events = public_events()
    if municipality is not None:
        events = events.filter(activity__period__municipality=municipality)
    columns = events.order_by("id").values_list(
        "id",
        "activity_id",
        "activity__period__municipality__code",
        "activity__period__slug",
        "kind",
        "occurred_on",
        "quantity",
        "organisation__name",
        "organisation__kind",
        "place",
        "summary",
        "retracted_at",
        "retraction_reason",
        "is_demo",
        "logged_at",
        "activity__period__ends_on",
        "late_reason",
    )
    for row in columns.iterator(chunk_size=CHUNK_SIZE):
        row = list(row)
        row[11] = row[11] is not None  # retracted: yes or no, not when
        logged_on = timezone.localdate(row[14])
        # loggad, efterregistrerad (logged after the period's last day), the reason if required
        row[14:17] = [logged_on, logged_on > row[15], row[16]]
        yield row


def _monthly_rows(municipality, base_url) -> Iterator[list]:
    rows = FollowUpEvent.objects.public_police_monthly(
        "activity__period__municipality__code",
        "activity__period__slug",
        today=timezone.localdate(),
    )
    if municipality is not None:
        rows = rows.filter(activity__period__municipality=municipality)
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield [
            row["activity_id"],
            row["activity__period__municipality__code"],
            row["activity__period__slug"],
            f"{int(row['year']):04d}-{int(row['month']):02d}",
            row["quantity"],
            row["events"],
        ]


def _amendment_rows(municipality, base_url) -> Iterator[list]:
    """One row per changed field of each public amendment (issue 12), oldest first."""
    changes = AmendmentChange.objects.filter(
        amendment__in=Amendment.objects.public()
    ).select_related("amendment__period__municipality")
    if municipality is not None:
        changes = changes.filter(amendment__period__municipality=municipality)
    ordering = ("amendment__period__municipality__code", "amendment__period__slug")
    for change in changes.order_by(*ordering, "amendment__number", "id").iterator(
        chunk_size=CHUNK_SIZE
    ):
        amendment = change.amendment
        period = amendment.period
        yield [
            amendment.pk,
            period.municipality.code,
            period.slug,
            amendment.number,
            amendment.applies_from,
            amendment.created_at.date(),
            amendment.reason,
            amendment.decision_reference,
            change.part,
            change.activity_id,
            change.part_label,
            change.field,
            change.label,
            change.before_text,
            change.after_text,
            period.is_demo,
            _period_url(base_url, period) + f"#andring-{amendment.number}",
        ]


MUNICIPALITY_CODE = Field(
    "kommun_kod", TEXT, _("Kommunens fyrsiffriga kod hos SCB, till exempel 0687 för Tranås.")
)
PERIOD_SLUG = Field(
    "period", TEXT, _("Periodens kortnamn, unikt inom kommunen, till exempel 2023-2024.")
)
IS_DEMO = Field("demo", BOOLEAN, _("Sant för påhittade demoexempel, som inte ska räknas med."))

DATASETS = [
    Dataset(
        "perioder",
        _("Medborgarlöften (perioder)"),
        _("Ett medborgarlöfte per kommun och period, med datum och vem som undertecknade."),
        [
            MUNICIPALITY_CODE,
            Field("kommun", TEXT, _("Kommunens namn.")),
            Field("lan", TEXT, _("Länets namn.")),
            PERIOD_SLUG,
            Field("rubrik", TEXT, _("Medborgarlöftets rubrik.")),
            Field("galler_fran", DATE, _("Första dagen perioden gäller (ÅÅÅÅ-MM-DD).")),
            Field("galler_till", DATE, _("Sista dagen perioden gäller (ÅÅÅÅ-MM-DD).")),
            Field(
                "status",
                TEXT,
                _(
                    "draft (utkast), adopted (antaget), active (gällande) eller concluded "
                    "(avslutat)."
                ),
            ),
            Field("antaget", DATE, _("Dagen kommunen antog löftet, om den är känd.")),
            Field("beslutsreferens", TEXT, _("Diarienummer eller paragraf för beslutet.")),
            Field("lokalpolisomrade", TEXT, _("Lokalpolisområdet, om det är känt.")),
            Field("undertecknat", DATE, _("Dagen löftet undertecknades, om den är känd.")),
            Field("undertecknat_ort", TEXT, _("Orten där löftet undertecknades.")),
            Field(
                "polisen_bara_manadsantal",
                BOOLEAN,
                _("Sant när polisen av operativa skäl bara publicerar antal per månad."),
            ),
            IS_DEMO,
            Field("url", TEXT, _("Sidan på portalen.")),
        ],
        _period_rows,
    ),
    Dataset(
        "loften",
        _("Löften"),
        _("Löftena i varje medborgarlöfte, med tema och målgrupp."),
        [
            Field("lofte_id", INTEGER, _("Löftets fasta id.")),
            MUNICIPALITY_CODE,
            PERIOD_SLUG,
            Field("ordning", INTEGER, _("Löftets nummer inom perioden (1, 2, 3 …).")),
            Field("rubrik", TEXT, _("Löftet som det är skrivet.")),
            Field("text", TEXT, _("Löftets längre text, om det finns.")),
            Field("tema", TEXT, _("Temats kortnamn, till exempel trafik.")),
            Field("tema_namn", TEXT, _("Temats namn.")),
            Field("malgrupp", TEXT, _("Målgruppen, om löftet anger någon.")),
            IS_DEMO,
        ],
        _promise_rows,
    ),
    Dataset(
        "aktiviteter",
        _("Aktiviteter med mål och utfall"),
        _(
            "Varje aktivitet med sitt mål och hur långt den har kommit i dag, räknat enligt "
            "”Så räknar vi”."
        ),
        [
            Field("aktivitet_id", INTEGER, _("Aktivitetens fasta id.")),
            MUNICIPALITY_CODE,
            PERIOD_SLUG,
            Field("lofte", INTEGER, _("Numret på löftet aktiviteten hör till; tomt om gemensam.")),
            Field("ordning", INTEGER, _("Aktivitetens nummer inom perioden.")),
            Field("beskrivning", TEXT, _("Aktiviteten som den är skriven.")),
            Field("ansvariga", TEXT, _("Ansvariga organisationer, åtskilda med semikolon.")),
            Field(
                "maltyp",
                TEXT,
                _(
                    "count (antal), milestone (en gång), ongoing (löpande) eller on_request "
                    "(vid önskemål)."
                ),
            ),
            Field("malvarde", INTEGER, _("Minsta antal per målperiod; bara för count.")),
            Field("enhet", TEXT, _("Vad som räknas, i plural (trafikkontroller).")),
            Field(
                "malperiod",
                TEXT,
                _("period, year, tertial, month, week eller day; bara för count."),
            ),
            Field(
                "mal_i_ord",
                TEXT,
                _("Målet i ord, till exempel ”minst 30 trafikkontroller per år”."),
            ),
            Field(
                "status",
                TEXT,
                _(
                    "Status som kod: achieved, on_track, in_progress, behind, not_started, "
                    "not_achieved, ended, not_reported eller upcoming."
                ),
            ),
            Field("status_text", TEXT, _("Status i ord (Uppnått, Enligt plan …).")),
            Field("aktuell_del", TEXT, _("Den del av perioden som pågår nu (2026, T3 2026 …).")),
            Field("aktuell_del_fran", DATE, _("Första dagen i den aktuella delen.")),
            Field("aktuell_del_till", DATE, _("Sista dagen i den aktuella delen.")),
            Field("aktuellt_mal", INTEGER, _("Målet för den aktuella delen.")),
            Field("aktuellt_utfort", INTEGER, _("Utfört hittills i den aktuella delen.")),
            Field(
                "forvantat_hittills",
                INTEGER,
                _(
                    "Förväntat hittills i den aktuella delen, avrundat nedåt; tomt när den inte "
                    "pågår."
                ),
            ),
            Field("utfort_totalt", INTEGER, _("Utfört under hela perioden.")),
            Field("onskemal_totalt", INTEGER, _("Inkomna önskemål (för vid önskemål).")),
            IS_DEMO,
            Field("url", TEXT, _("Aktivitetens sida på portalen.")),
        ],
        _activity_rows,
    ),
    Dataset(
        "handelser",
        _("Genomförda händelser"),
        _(
            "Varje registrerad händelse med sina offentliga uppgifter. Återkallade händelser "
            "finns kvar, markerade och med skälet. Polisens händelser saknas där polisen bara "
            "publicerar antal per månad; de finns i månadsantalen."
        ),
        [
            Field("handelse_id", INTEGER, _("Händelsens fasta id.")),
            Field("aktivitet_id", INTEGER, _("Aktiviteten händelsen hör till.")),
            MUNICIPALITY_CODE,
            PERIOD_SLUG,
            Field("typ", TEXT, _("done (genomfört) eller requested (önskemål inkommit).")),
            Field("datum", DATE, _("Dagen det hände.")),
            Field("antal", INTEGER, _("Hur många gånger (1–1000).")),
            Field("utfort_av", TEXT, _("Organisationen som gjorde det.")),
            Field(
                "utfort_av_typ",
                TEXT,
                _("police (Polisen), municipality (kommunen) eller partner (annan aktör)."),
            ),
            Field("plats", TEXT, _("Platsen, om den anges.")),
            Field("sammanfattning", TEXT, _("Den offentliga sammanfattningen.")),
            Field("aterkallad", BOOLEAN, _("Sant om händelsen har återkallats och inte räknas.")),
            Field("skal_till_aterkallelse", TEXT, _("Varför händelsen återkallades.")),
            IS_DEMO,
            Field("loggad", DATE, _("Dagen händelsen registrerades i portalen.")),
            Field(
                "efterregistrerad",
                BOOLEAN,
                _("Sant om händelsen registrerades efter periodens sista dag."),
            ),
            Field(
                "skal_till_efterregistrering",
                TEXT,
                _(
                    "Varför händelsen registrerades efter att medborgarlöftet avslutats eller "
                    "tiden för efterregistrering (30 dagar) gått ut."
                ),
            ),
        ],
        _event_rows,
    ),
    Dataset(
        "manadsantal",
        _("Polisens antal per månad"),
        _(
            "Där polisen av operativa skäl bara publicerar antal per månad: summan per aktivitet "
            "och avslutad månad, utan datum eller platser. Innevarande månad kommer med när den "
            "är slut."
        ),
        [
            Field("aktivitet_id", INTEGER, _("Aktiviteten.")),
            MUNICIPALITY_CODE,
            PERIOD_SLUG,
            Field("manad", TEXT, _("Månaden som ÅÅÅÅ-MM.")),
            Field("antal", INTEGER, _("Summan av antalen den månaden.")),
            Field("handelser", INTEGER, _("Hur många händelser summan bygger på.")),
        ],
        _monthly_rows,
    ),
]
DATASETS.append(
    Dataset(
        "andringar",
        _("Ändringar av antagna medborgarlöften"),
        _(
            "Ett antaget medborgarlöfte ändras bara genom en ändring med skäl. En rad per ändrat "
            "fält: vad som ändrades, före och efter, varför och från vilket datum."
        ),
        [
            Field("andring_id", INTEGER, _("Ändringens fasta id.")),
            MUNICIPALITY_CODE,
            PERIOD_SLUG,
            Field("nummer", INTEGER, _("Ändringens nummer inom medborgarlöftet (1, 2, …).")),
            Field("galler_fran", DATE, _("Dagen ändringen gäller från (ÅÅÅÅ-MM-DD).")),
            Field("registrerad", DATE, _("Dagen ändringen registrerades.")),
            Field("skal", TEXT, _("Varför medborgarlöftet ändrades.")),
            Field("beslut", TEXT, _("Beslutet bakom ändringen, om det anges.")),
            Field(
                "del",
                TEXT,
                _("period, promise (löfte), activity (aktivitet) eller signatory (undertecknare)."),
            ),
            Field("aktivitet_id", INTEGER, _("Aktiviteten som ändrades, annars tomt.")),
            Field("vad", TEXT, _("Delen som ändrades, i text.")),
            Field("falt", TEXT, _("Fältets tekniska namn, till exempel target_quantity.")),
            Field("falt_namn", TEXT, _("Fältets namn, till exempel Målvärde.")),
            Field("fore", TEXT, _("Värdet före ändringen, i text.")),
            Field("efter", TEXT, _("Värdet efter ändringen, i text.")),
            IS_DEMO,
            Field("url", TEXT, _("Ändringen på medborgarlöftets sida.")),
        ],
        _amendment_rows,
    )
)
DATASETS_BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}
FORMATS = ("csv", "json")
# "aktiviteter-excel.csv": the same CSV separated by semicolons, as Excel with Swedish settings
# expects (it reads a comma-separated file into one column; the comma is the decimal sign).
EXCEL_SUFFIX = "-excel"


# A text cell starting with one of these is a formula to Excel and LibreOffice. Summaries are
# typed by staff, so such a cell gets a leading apostrophe in CSV (JSON keeps the text as is).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns what it was given, for csv.writer streaming."""

    def write(self, value):
        return value


def stream_csv(dataset: Dataset, rows: Iterable[list], *, delimiter: str = ",") -> Iterator[str]:
    """The rows as CSV, a few hundred rows to a piece (one piece per row costs more to send)."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    # The byte-order mark makes Excel read the file as UTF-8 (å, ä, ö).
    yield "\ufeff" + writer.writerow([field.name for field in dataset.fields])
    for piece in batched(rows, ROWS_PER_PIECE):
        yield "".join(writer.writerow([_csv_value(value) for value in row]) for row in piece)


def stream_json(dataset: Dataset, rows: Iterable[list], *, municipality=None) -> Iterator[str]:
    names = [field.name for field in dataset.fields]
    head = {
        "dataset": dataset.slug,
        "kommun_kod": municipality.code if municipality else None,
        "licens": LICENCE,
        "licens_url": LICENCE_URL,
        "skapad": timezone.now().isoformat(timespec="seconds"),
        "falt": names,
    }
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    yield encoder.encode(head)[:-1] + ', "rader": ['
    separator = "\n"
    for piece in batched(rows, ROWS_PER_PIECE):
        yield separator + ",\n".join(
            encoder.encode(dict(zip(names, row, strict=True))) for row in piece
        )
        separator = ",\n"
    yield "\n]}\n"
