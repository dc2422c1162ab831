"""Reference data: all 290 kommuner, 21 län, 7 police regions and the known police areas.

``lokalpolisomraden.csv`` names the police area of about 260 kommuner, each row with how sure it
is (``confidence``: verified, secondary, probable, unverified, partial-municipality) and where it
says so (``source``, ``note``); the rest are shown as "uppgift saknas".

The CSV files in ``municipalities/data/`` are copies of ``shared/data`` with their source columns
kept. Loading is idempotent: rows are matched on their natural keys (SCB codes, names) and
updated in place, so running it again changes nothing. Police areas are only what the sources
say; a kommun whose police area is unknown simply has none.

The loader takes the model classes as arguments so that a data migration can pass its
historical models.
"""

import csv
from collections import Counter
from pathlib import Path

from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent / "data"
MUNICIPALITIES_CSV = DATA_DIR / "kommuner.csv"
POLICE_AREAS_CSV = DATA_DIR / "lokalpolisomraden.csv"
GOTLAND_CODE = "0980"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def municipality_slugs(rows: list[dict[str, str]]) -> dict[str, str]:
    """Slug per SCB code. Names that fold to the same slug (Håbo, Habo) get their län added."""
    base = {row["code"]: slugify(row["name"]) for row in rows}
    clashes = Counter(base.values())
    slugs = {}
    for row in rows:
        slug = base[row["code"]]
        if clashes[slug] > 1:
            county = row["county_name"].removesuffix(" län").removesuffix("s")
            slug = f"{slug}-{slugify(county)}"
        slugs[row["code"]] = slug
    return slugs


def load_municipalities(County, PoliceRegion, Municipality) -> int:
    rows = read_rows(MUNICIPALITIES_CSV)
    slugs = municipality_slugs(rows)
    counties, regions = {}, {}
    for row in rows:
        if row["county_code"] not in counties:
            counties[row["county_code"]], _ = County.objects.update_or_create(
                code=row["county_code"], defaults={"name": row["county_name"]}
            )
        if row["police_region"] not in regions:
            regions[row["police_region"]], _ = PoliceRegion.objects.update_or_create(
                name=row["police_region"], defaults={"slug": slugify(row["police_region"])}
            )
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "slug": slugs[row["code"]],
                "county": counties[row["county_code"]],
                "police_region": regions[row["police_region"]],
            },
        )
    return len(rows)


def _expand_same(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The CSV writes "same" for a source or note repeated from the row above; spell it out.

    "same (news only)" keeps its remark after the repeated text.
    """
    expanded, previous = [], {}
    for row in rows:
        row = dict(row)
        for column in ("source", "note"):
            value = row[column].strip()
            if not previous:
                continue
            if value.lower() in {"same", "same statement"}:
                row[column] = previous[column]
            elif value.lower().startswith("same ("):
                row[column] = f"{previous[column]} {value.removeprefix('same').strip()}"
        expanded.append(row)
        previous = row
    return expanded


def load_police_areas(PoliceRegion, PoliceArea, PoliceAreaCoverage, Municipality, Organisation):
    """Police areas from the sourced list; each gets its police organisation. Idempotent."""
    rows = _expand_same(read_rows(POLICE_AREAS_CSV))
    for row in rows:
        region = PoliceRegion.objects.get(name=row["region"])
        area, _ = PoliceArea.objects.update_or_create(
            region=region,
            name=row["lpo"],
            defaults={"slug": slugify(f"lpo-{row['lpo']}")},
        )
        Organisation.objects.update_or_create(
            police_area=area,
            defaults={
                "kind": "police",
                "name": f"Lokalpolisområde {area.name}",
                "slug": slugify(f"polisen-{area.name}"),
            },
        )
        municipality = Municipality.objects.get(code=row["municipality_code"])
        PoliceAreaCoverage.objects.update_or_create(
            police_area=area,
            municipality=municipality,
            defaults={
                "confidence": row["confidence"],
                "source": "" if row["source"].strip() == "-" else row["source"],
                "note": row["note"],
            },
        )
    return len(rows)


def municipal_organisation_name(municipality_name: str, code: str) -> str:
    """The kommun as an organisation: "Tranås kommun", "Lunds kommun", "Region Gotland".

    Swedish adds a genitive -s to a name ending in a consonant other than s, x or z.
    """
    if code == GOTLAND_CODE:
        return "Region Gotland"
    ends_in_consonant = municipality_name[-1].lower() not in "aeiouyåäösxz"
    return f"{municipality_name}{'s' if ends_in_consonant else ''} kommun"


def load_municipal_organisations(Municipality, Organisation) -> None:
    """Every kommun is a party to its promises: one organisation per kommun."""
    existing = set(
        Organisation.objects.filter(kind="municipality").values_list("municipality_id", flat=True)
    )
    Organisation.objects.bulk_create(
        [
            Organisation(
                kind="municipality",
                name=municipal_organisation_name(municipality.name, municipality.code),
                slug=slugify(f"kommunen-{municipality.slug}"),
                municipality=municipality,
            )
            for municipality in Municipality.objects.exclude(pk__in=existing)
        ]
    )


def load_reference_data(models) -> None:
    """Load everything; ``models`` maps model names to classes (real or historical)."""
    load_municipalities(models["County"], models["PoliceRegion"], models["Municipality"])
    load_municipal_organisations(models["Municipality"], models["Organisation"])
    load_police_areas(
        models["PoliceRegion"],
        models["PoliceArea"],
        models["PoliceAreaCoverage"],
        models["Municipality"],
        models["Organisation"],
    )
