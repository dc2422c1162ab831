"""The promise periods of the seed documents, transcribed, plus one invented running period.

The four seed periods are real documents (``shared/seeds``), so they are published and *not*
marked as demo data; their wording is kept as in the seeds. Where a seed does not say something
(an exact start date, a number, who signed) it is left empty rather than invented:

- 000 + 001 Tranås 2023–2024: the promise "börjar gälla från och med undertecknandet" but the date
  is not given, so the period is the two calendar years; no signatories (the memo's signature
  block signs the memo, not the promise).
- 002 Aneby 2023–2024: signed in Aneby 2023-05-30, from which day it applies.
- 003 Tranemo 2021–2022: its police area is not known, so it has none and its police is an
  organisation tied to the kommun; signed by Polisen, Tranemo kommun and Tranemobostäder without
  names, so no signatories; no numbers in the seed, so no counted targets.
- 004 Tyresö 2018: the memo names the two areas and the mapping of unsafe places; the traffic
  activities of 2017 "kvarstår" without being listed, so one activity says exactly that.

The fifth period, Tranås "demo-pagaende", is made up (``is_demo=True``, says so in its
introduction): it continues 2023–2024 with dates relative to the load date, from 1 January last
year to 31 December this year, so the demo shows follow-up of a period that is still running.

Rows are matched on natural keys ((kommun, slug) for a period, (period, position) below it) and
only saved when something differs, so loading twice changes nothing, not even the history.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from municipalities.demo import TRANEMO_POLICE_SLUG, TRANEMOBOSTADER_SLUG, load_seed_organisations
from municipalities.models import Municipality, Organisation, OrganisationKind, PoliceArea
from promises.models import (
    Activity,
    Cadence,
    PeriodStatus,
    Promise,
    PromisePeriod,
    Signatory,
    SituationSource,
    SourceKind,
    TargetKind,
    Theme,
)

# Keys of the periods, used by followup/demo.py to attach events.
TRANAS_2023 = "tranas-2023-2024"
ANEBY_2023 = "aneby-2023-2024"
TRANEMO_2021 = "tranemo-2021-2022"
TYRESO_2018 = "tyreso-2018"
TRANAS_DEMO = "tranas-demo-pagaende"

# Who is responsible, resolved per period: its police, its kommun, or Tranemobostäder.
POLICE, KOMMUN, TRANEMOBOSTADER = "police", "kommun", "tranemobostader"


@dataclass(frozen=True)
class ActivitySpec:
    description: str
    responsible: tuple[str, ...]
    promise: int | None  # position of its promise; None when it is cross-cutting
    target_kind: str = TargetKind.ONGOING
    target_quantity: int | None = None
    unit_singular: str = ""
    unit_plural: str = ""
    cadence: str = ""


@dataclass(frozen=True)
class PromiseSpec:
    title: str
    theme: str
    text: str = ""
    target_group: str = ""


@dataclass
class PeriodSpec:
    key: str
    municipality_code: str
    slug: str
    title: str
    starts_on: date
    ends_on: date
    police_area: str | None
    status: str
    introduction: str
    situation_picture: str
    follow_up_text: str
    promises: list[PromiseSpec]
    activities: list[ActivitySpec]
    sources: list[tuple[str, str]] = field(default_factory=list)
    signatories: list[tuple[str, str, str]] = field(default_factory=list)  # name, title, party
    partners: list[str] = field(default_factory=list)  # organisation slugs
    signed_on: date | None = None
    signed_place: str = ""
    decision_reference: str = ""
    is_demo: bool = False


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(parts)


def _count(quantity, singular, plural, cadence):
    return {
        "target_kind": TargetKind.COUNT,
        "target_quantity": quantity,
        "unit_singular": singular,
        "unit_plural": plural,
        "cadence": cadence,
    }


# --- Tranås 2023–2024 (seeds 000 and 001) --------------------------------------------------------

# The list items of 001 continue "Polisen och kommunen lovar att gemensamt jobba för:"; as titles
# they start with a capital letter (and the stray space before the full stop in the second is
# dropped). The wording is unchanged.
TRANAS_PROMISES = [
    PromiseSpec(
        "Att öka upptäckten av narkotikabrott, främst bland personer i åldern 21 år och yngre, "
        "med syfte att minska bruket av narkotika.",
        "narkotika-och-andt",
        target_group="personer i åldern 21 år och yngre",
    ),
    PromiseSpec(
        "Öka den upplevda tryggheten i de centrala delarna av Tranås.",
        "trygghet-i-offentlig-miljo",
    ),
    PromiseSpec(
        "Arbeta långsiktigt med trafikmiljön inom Tranås kommun.",
        "trafik",
    ),
]

TRAFFIC_CHECKS = (
    "Polisen ska i kommunen, i syfte att bidra till en säker trafikmiljö, genomföra minst "
    "trettio (30) trafikkontroller per år."
)
TARGETED_OPERATIONS = (
    "Polisen lovar att genomföra minst femton (15) riktade insatser för att upptäcka fler "
    "narkotikabrott bland unga."
)
LOB_PL = (
    "Polisen ska öka den upplevda tryggheten i centrala Tranås genom ett aktivt användande av "
    "lagen om berusade personer (LOB) och polislagen (PL)."
)
PUB_CHECKS = "Kommunen lovar att tillsammans med polisen genomföra krogkontroller."
INFORMATION = (
    "Kommunen ska genomföra informationssatsningar och sprida nationella kampanjer med syfte att "
    "motverka langning av alkohol och tobak."
)
COOPERATION_MEETINGS = (
    "Återkommande samverkansmöten mellan kommunen och polisen gällande medborgarlöftena genom "
    "arbetsmodellerna SSPF (skola, social, polis, fritid) och EST (effektiv samverkan för "
    "trygghet)."
)

TRANAS_ACTIVITIES = [
    ActivitySpec(
        TRAFFIC_CHECKS,
        (POLICE,),
        3,
        **_count(30, "trafikkontroll", "trafikkontroller", Cadence.YEAR),
    ),
    # No "per år" in the text: fifteen over the whole period.
    ActivitySpec(
        TARGETED_OPERATIONS,
        (POLICE,),
        1,
        **_count(15, "riktad insats", "riktade insatser", Cadence.PERIOD),
    ),
    ActivitySpec(LOB_PL, (POLICE,), 2),
    # "tillsammans med polisen": both are responsible.
    ActivitySpec(PUB_CHECKS, (KOMMUN, POLICE), 2),
    ActivitySpec(INFORMATION, (KOMMUN,), 1),
    # The meetings serve all three promises: cross-cutting.
    ActivitySpec(COOPERATION_MEETINGS, (KOMMUN, POLICE), None),
]

TRANAS_INTRODUCTION = (
    "Med utgångspunkt i det brottsförebyggande samt trygghetsskapande arbetet och mot bakgrund "
    "av lägesbilden formulerar Tranås kommun och polisen tre stycken medborgarlöften, som börjar "
    "gälla från och med undertecknandet."
)
TRANAS_SITUATION = _paragraphs(
    "Erfarenheter från medarbetare, underrättelsebild, trygghetsmätning och Tranås kommun visar "
    "på att narkotika är ett problem i Tranås. Tillgången är relativt god. Det är viktigt att "
    "kunna bryta ett narkotikabruk så tidigt som möjligt för att minska lidandet och kostnaderna "
    "för samhället.",
    "Utifrån polisens trygghetsmätning och erfarenheter från polisens medarbetare har det "
    "framkommit att centrummiljön i Tranås upplevs som otrygg.",
    "Trafikmiljön har enligt samma källor en stor påverkan på tryggheten i Tranås kommun.",
)
TRANAS_SOURCES = [
    (SourceKind.STAFF_DIALOGUE, "Erfarenheter från medarbetare"),
    (SourceKind.INTELLIGENCE, "Underrättelsebild"),
    (SourceKind.SAFETY_SURVEY, "Polisens trygghetsmätning"),
]
TRANAS_FOLLOW_UP = (
    "Medborgarlöftena kommer att följas upp kontinuerligt och presenteras här. Arbetet kommer "
    "även att återrapporteras i kommunfullmäktige."
)


def tranas_2023() -> PeriodSpec:
    return PeriodSpec(
        key=TRANAS_2023,
        municipality_code="0687",
        slug="2023-2024",
        title="Medborgarlöfte 2023–2024",
        # "börjar gälla från och med undertecknandet"; the seeds do not give the date.
        starts_on=date(2023, 1, 1),
        ends_on=date(2024, 12, 31),
        police_area="Höglandet",
        status=PeriodStatus.CONCLUDED,
        introduction=TRANAS_INTRODUCTION,
        situation_picture=TRANAS_SITUATION,
        follow_up_text=TRANAS_FOLLOW_UP,
        promises=TRANAS_PROMISES,
        activities=TRANAS_ACTIVITIES,
        sources=TRANAS_SOURCES,
    )


# --- Aneby 2023–2024 (seed 002) ------------------------------------------------------------------

ANEBY_INTRODUCTION = _paragraphs(
    "Med utgångspunkt i det brottsförebyggande och trygghetskapande arbetet och mot bakgrund av "
    "lägesbilden formulerar Aneby kommun och Polisen tre årliga medborgarlöften, som börjar gälla "
    "från och med undertecknandet.",
    "Vad är ett medborgarlöfte",
    "Samverkan mellan polis och kommun är en nödvändighet för att kunna arbeta effektivt med det "
    "brottsförebyggande och trygghetskapande arbetet. Medborgarlöften är en utveckling dagens "
    "samverkansöverenskommelser och är en del av polismyndighetens styrmodell. Den lokala "
    "lägesbilden ska vara utgångspunkt för de mål som polisen ska arbeta med.",
    "Löftena handlar om konkreta aktiviteter som kommun och polis tillsammans kommit överens om "
    "för att öka tryggheten och minska brottsligheten.",
    "Medborgarlöften fokuserar på den lokala lägesbilden och på sådant som de som bor och verkar "
    "i ett område upplever som viktigast för att känna sig trygga och säkra. Löftena har bland "
    "annat tagits fram i dialog med medborgare och medarbetare.",
)
ANEBY_SITUATION = _paragraphs(
    "Vid medborgarundersökningen har det framkommit att kommunens invånare önskar en ökad "
    "tillgänglighet och polisiär närvaro.",
    "Polisens trygghetsmätning, medborgardialog samt underrättelsebild och polisens visar att "
    "narkotika är ett problem i Aneby. Det är viktigt att kunna bryta ett narkotikabruk så tidigt "
    "som möjligt för att minska lidandet och kostnader för samhället. Trafikmiljön har enligt "
    "samma källor en stor påverkan på tryggheten i Aneby kommun.",
)
ANEBY_PROMISES = [
    PromiseSpec("Öka den polisiära tillgängligheten och servicen.", "polisiar-narvaro"),
    PromiseSpec("Arbeta långsiktigt med en säker trafikmiljö i Aneby kommun.", "trafik"),
    PromiseSpec(
        "Att öka upptäckten av narkotikabruk, främst hos unga i åldern 21 och yngre. Med syftet "
        "att minska bruket av narkotika.",
        "narkotika-och-andt",
        target_group="unga i åldern 21 och yngre",
    ),
]
ANEBY_ACTIVITIES = [
    ActivitySpec(
        "Polisen ska vara tillgänglig för poliskontoret och närvarande i Anebys centrala delar "
        "med kontaktskapande verksamhet vid fasta tidpunkter.",
        (POLICE,),
        1,
    ),
    ActivitySpec(
        "Kommunen ska upplåta en lämplig lokal och informera på sin hemsida om öppettider.",
        (KOMMUN,),
        1,
        target_kind=TargetKind.MILESTONE,
    ),
    ActivitySpec(
        "Polisen ska identifiera ungdomar främst i åldern 21 år och yngre som brukar narkotika.",
        (POLICE,),
        3,
    ),
    # "tre årliga medborgarlöften": the numbers are per year.
    ActivitySpec(
        "Polisen ska genomföra minst tio riktade insatser för att upptäcka fler narkotikabrott "
        "främst bland unga.",
        (POLICE,),
        3,
        **_count(10, "riktad insats", "riktade insatser", Cadence.YEAR),
    ),
    ActivitySpec(
        "Polisen ska genomföra trafikkontroller i syfte att bidra till en säker trafikmiljö.",
        (POLICE,),
        2,
    ),
    ActivitySpec(
        "Kommunen ska genomföra två trygghetsvandringar tillsammans med polisen.",
        (KOMMUN, POLICE),
        None,
        **_count(2, "trygghetsvandring", "trygghetsvandringar", Cadence.YEAR),
    ),
    ActivitySpec(
        "Kommunen ska tillsammans med polisen och andra aktörer i kommunen arbeta "
        "brottsförebyggande enligt konceptet EST, effektiv samordning för trygghet",
        (KOMMUN, POLICE),
        None,
    ),
    ActivitySpec(
        "Kommunen ska fortsätta sitt aktiva arbete med frågor rörande alkohol, narkotika, doping "
        "och tobak.",
        (KOMMUN,),
        3,
    ),
    ActivitySpec("Kommunen ska aktivt arbeta för en hög skolnärvaro.", (KOMMUN,), None),
    ActivitySpec(
        "Under året genomföra minst fyra samverkansmöten om de pågående aktiviteterna.",
        (KOMMUN, POLICE),
        None,
        **_count(4, "samverkansmöte", "samverkansmöten", Cadence.YEAR),
    ),
]


def aneby_2023() -> PeriodSpec:
    return PeriodSpec(
        key=ANEBY_2023,
        municipality_code="0604",
        slug="2023-2024",
        title="Medborgarlöfte 2023–2024",
        starts_on=date(2023, 5, 30),
        ends_on=date(2024, 12, 31),
        police_area="Höglandet",
        status=PeriodStatus.CONCLUDED,
        introduction=ANEBY_INTRODUCTION,
        situation_picture=ANEBY_SITUATION,
        follow_up_text=(
            "Medborgarlöftena kommer att följas upp kontinuerligt och presenteras på polisens "
            "webbplats, polisen.se."
        ),
        promises=ANEBY_PROMISES,
        activities=ANEBY_ACTIVITIES,
        sources=[
            (SourceKind.OTHER, "Medborgarundersökning"),
            (SourceKind.SAFETY_SURVEY, "Polisens trygghetsmätning"),
            (SourceKind.CITIZEN_DIALOGUE, "Medborgardialog"),
            (SourceKind.INTELLIGENCE, "Underrättelsebild"),
        ],
        signatories=[
            ("Beata Allen", "Kommunstyrelsens ordförande", KOMMUN),
            ("Mathias Ljung", "Tf Lokalpolisområdeschef", POLICE),
        ],
        signed_on=date(2023, 5, 30),
        signed_place="Aneby",
    )


# --- Tranemo 2021–2022 (seed 003) ----------------------------------------------------------------

TRANEMO_PROMISE_TEXT = _paragraphs(
    "Tranemobostäder satsar på renovering av hyreshusen och i samband med detta blir det också "
    "satsning på trygghet. Det har över tid visat sig att Solgårdsområdet sticker ut när vi "
    "tittar på polisanmälningar, trygghetsundersökningar och lägesbilder som regelbundet "
    "sammanställs av funktioner som tillhör kommunledningsstaben.",
    "I medborgarlöftet från Polisen blir det därför extra fokus på Solgårdsområdet. Löftet som "
    "idag har undertecknats av Polisen, Tranemo kommun och Tranemobostäder, innehåller en rad "
    "trygghetsfrämjande insatser som kommer att genomföras i området.",
    "Tillsammans vill vi göra Solgårdsområdet till en tryggare plats att leva och bo på.",
)


def tranemo_2021() -> PeriodSpec:
    return PeriodSpec(
        key=TRANEMO_2021,
        municipality_code="1452",
        slug="2021-2022",
        title="Medborgarlöfte 2021–2022",
        starts_on=date(2021, 1, 1),
        ends_on=date(2022, 12, 31),
        police_area=None,
        status=PeriodStatus.CONCLUDED,
        introduction=(
            "Medborgarlöftet är en del av samverkansöverenskommelsen mellan Polismyndigheten och "
            "Tranemo kommun. Medborgarlöftet syftar till ett effektivare brottsförebyggande och "
            "trygghetsskapande arbete genom att vi bygger förtroende samt engagerar och "
            "involverar medborgare tillsammans med lokalsamhällets aktörer."
        ),
        situation_picture=(
            "Det har över tid visat sig att Solgårdsområdet sticker ut när vi tittar på "
            "polisanmälningar, trygghetsundersökningar och lägesbilder som regelbundet "
            "sammanställs av funktioner som tillhör kommunledningsstaben. Det är ett område som "
            "upplevs som otryggt av invånarna."
        ),
        follow_up_text=(
            "Den lokala styrgruppen som består av trygghetssamordnare, planeringschef, "
            "kommunpoliserna och Tranemo bostäder. Gruppen följer upp arbetet inom ramen för "
            "samverkansöverenskommelsen. Styrgruppen rapporterar till kommunstyrelsen."
        ),
        promises=[
            PromiseSpec(
                "Polisen tillsammans med Tranemo kommun ska verka för att göra kommunen till en "
                "trygg och inkluderande kommun att bo, verka och leva i.",
                "trygghet-i-offentlig-miljo",
                text=TRANEMO_PROMISE_TEXT,
            )
        ],
        # No numbers in the seed: nothing is counted.
        activities=[
            ActivitySpec(
                "Informera och initiera grannsamverkan, med början hos de som bor i fastigheterna "
                "som nu är renoverade.",
                (POLICE,),
                1,
            ),
            ActivitySpec("Trygghetsronder och vandringar i området.", (POLICE, KOMMUN), 1),
            ActivitySpec("Narkotikasök med hund.", (POLICE,), 1),
            ActivitySpec(
                "En lokal där boende, bostadsbolaget, kommunen och Polisen kan mötas och samverka.",
                (TRANEMOBOSTADER, KOMMUN, POLICE),
                1,
            ),
        ],
        sources=[
            (SourceKind.CRIME_STATISTICS, "Polisanmälningar"),
            (SourceKind.SAFETY_SURVEY, "Trygghetsundersökningar"),
            (SourceKind.OTHER, "Lägesbilder som sammanställs av kommunledningsstaben"),
        ],
        partners=[TRANEMOBOSTADER_SLUG],
    )


# --- Tyresö 2018 (seed 004) ----------------------------------------------------------------------


def tyreso_2018() -> PeriodSpec:
    return PeriodSpec(
        key=TYRESO_2018,
        municipality_code="0138",
        slug="2018",
        title="Medborgarlöfte 2018",
        starts_on=date(2018, 1, 1),
        ends_on=date(2018, 12, 31),
        police_area="Nacka",
        status=PeriodStatus.CONCLUDED,
        decision_reference="2017/KS 0393 30",
        introduction=(
            "Under 2018 ska Tyresö kommun och polisen arbeta för att öka den upplevda tryggheten "
            "i kommunen på platser med exempelvis stor genomströmning, olika trafikmiljöer och "
            "mörka platser. Detta ska göras genom aktiviteter inom två olika områden beskrivna i "
            "Medborgarlöftet. Tyresö kommun ansvarar för sina löften och polisen för sina, även "
            "om både parter samverkar. Medborgarlöftet gäller från och med den 1 januari 2018 - "
            "31 december 2018."
        ),
        situation_picture=_paragraphs(
            "2016 gjorde Tyresö kommun och polisen en trygghetsmätning, två medarbetardialoger "
            "och fyra medborgardialoger tillsammans.",
            "Därutöver publicerades en e-tjänst på tyreso.se där medborgare kunnat lämna "
            "synpunkter på trygghet och brottslighet i Tyresö. Möjligheten att få tycka till om "
            "brott och trygghet har varit största fokus under hela processen.",
            "Resultatet och analyser har legat till grund för Medborgarlöftet 2017.",
            "Då inga nya medborgarundersökningar har gjorts inom detta område under 2017 föreslås "
            "undersökningen från 2016 gälla även för Medborgarlöfte 2018 med viss justering.",
        ),
        follow_up_text=(
            "Uppföljning av medborgarlöftet görs löpande på det lokala brottsförebyggande rådet "
            "samt i övrig samverkan mellan Lokalpolisområde Nacka och Tyresö kommun."
        ),
        promises=[
            PromiseSpec(
                "Otrygga platser",
                "trygghet-i-offentlig-miljo",
                text=_paragraphs(
                    "Det som justerats är att istället för namngivna knutpunkter, som fanns i "
                    "Medborgarlöftet 2017, genomföra regelbunden kartläggning för att få en bild "
                    "av platser som upplevs otrygga och då rikta trygghetsskapande åtgärder "
                    "utifrån det under 2018. På så sätt låser vi inte Medborgarlöftet till "
                    "specifika platser utan kan styra åtgärder efter behov.",
                    "I Medborgarlöftet 2018 har ”Otrygga platser” slagits ihop med ”Knutpunkter” "
                    "och benämns nu ”Otrygga platser”.",
                ),
            ),
            PromiseSpec(
                "Trafik",
                "trafik",
                text="Aktiviteter under rubriken ”Trafik” kvarstår.",
            ),
        ],
        activities=[
            ActivitySpec(
                "Regelbunden kartläggning för att få en bild av platser som upplevs otrygga och "
                "rikta trygghetsskapande åtgärder utifrån det.",
                (KOMMUN, POLICE),
                1,
            ),
            # The memo does not list the traffic activities; it only says they remain.
            ActivitySpec(
                "Aktiviteterna under rubriken ”Trafik” i Medborgarlöftet 2017 kvarstår under 2018.",
                (KOMMUN, POLICE),
                2,
            ),
        ],
        sources=[
            (SourceKind.SAFETY_SURVEY, "Trygghetsmätning 2016"),
            (SourceKind.STAFF_DIALOGUE, "Två medarbetardialoger 2016"),
            (SourceKind.CITIZEN_DIALOGUE, "Fyra medborgardialoger 2016"),
            (SourceKind.OTHER, "Synpunkter via e-tjänst på tyreso.se"),
        ],
    )


# --- Tranås, invented running period -------------------------------------------------------------

DEMO_INTRODUCTION = _paragraphs(
    "Detta är ett påhittat exempel och inget verkligt beslut. Det fortsätter Tranås "
    "medborgarlöfte 2023–2024 med samma löften, för att visa hur uppföljningen ser ut medan ett "
    "medborgarlöfte pågår.",
    "Datumen följer med när demodata läses in: perioden börjar den 1 januari förra året och "
    "slutar den 31 december i år. Alla händelser och avvikelser här är också påhittade.",
)

DEMO_ACTIVITIES = [
    ActivitySpec(
        TRAFFIC_CHECKS,
        (POLICE,),
        3,
        **_count(30, "trafikkontroll", "trafikkontroller", Cadence.YEAR),
    ),
    ActivitySpec(
        TARGETED_OPERATIONS,
        (POLICE,),
        1,
        **_count(15, "riktad insats", "riktade insatser", Cadence.PERIOD),
    ),
    ActivitySpec(LOB_PL, (POLICE,), 2),
    ActivitySpec(
        "Kommunen lovar att tillsammans med polisen genomföra minst en krogkontroll per månad.",
        (KOMMUN, POLICE),
        2,
        **_count(1, "krogkontroll", "krogkontroller", Cadence.MONTH),
    ),
    ActivitySpec(
        "Kommunen ska genomföra en informationssatsning inför sommarlovet och sprida nationella "
        "kampanjer med syfte att motverka langning av alkohol och tobak.",
        (KOMMUN,),
        1,
        target_kind=TargetKind.MILESTONE,
    ),
    ActivitySpec(COOPERATION_MEETINGS, (KOMMUN, POLICE), None),
    ActivitySpec(
        "Kommunen ska tillsammans med polisen genomföra minst två trygghetsvandringar per "
        "tertial i centrala Tranås.",
        (KOMMUN, POLICE),
        2,
        **_count(2, "trygghetsvandring", "trygghetsvandringar", Cadence.TERTIAL),
    ),
    ActivitySpec(
        "Polisen ska genomföra minst en fotpatrull i centrala Tranås per vecka.",
        (POLICE,),
        2,
        **_count(1, "fotpatrull", "fotpatruller", Cadence.WEEK),
    ),
    ActivitySpec(
        "Polisen besöker skolor och informerar om narkotika när en skola önskar det.",
        (POLICE,),
        1,
        target_kind=TargetKind.ON_REQUEST,
    ),
]


def demo_period_dates(today: date) -> tuple[date, date]:
    """From 1 January last year to 31 December this year."""
    return date(today.year - 1, 1, 1), date(today.year, 12, 31)


def tranas_demo(today: date) -> PeriodSpec:
    starts_on, ends_on = demo_period_dates(today)
    return PeriodSpec(
        key=TRANAS_DEMO,
        municipality_code="0687",
        slug="demo-pagaende",
        title="Medborgarlöfte (demoexempel, pågående)",
        starts_on=starts_on,
        ends_on=ends_on,
        police_area="Höglandet",
        status=PeriodStatus.ACTIVE,
        introduction=DEMO_INTRODUCTION,
        situation_picture=TRANAS_SITUATION,
        follow_up_text=(
            "Demoexempel: uppföljningen visas löpande på den här sidan, per aktivitet och per "
            "tertial."
        ),
        promises=TRANAS_PROMISES,
        activities=DEMO_ACTIVITIES,
        sources=TRANAS_SOURCES,
        is_demo=True,
    )


def period_specs(today: date) -> list[PeriodSpec]:
    return [tranas_2023(), aneby_2023(), tranemo_2021(), tyreso_2018(), tranas_demo(today)]


def demo_period_keys() -> list[tuple[str, str]]:
    """(kommun code, slug) of every period load_demo writes, to find them before a reload."""
    return [(spec.municipality_code, spec.slug) for spec in period_specs(timezone.localdate())]


# --- Loading -------------------------------------------------------------------------------------


def _upsert(model, lookup: dict, values: dict):
    """Get or create by ``lookup``; save only when a value differs (keeps the history quiet)."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
    return instance


def _set_m2m(manager, organisations):
    if set(manager.values_list("pk", flat=True)) != {o.pk for o in organisations}:
        manager.set(organisations)


def _parties(spec: PeriodSpec, municipality, police_area) -> dict[str, Organisation]:
    parties = {
        KOMMUN: Organisation.objects.get(
            kind=OrganisationKind.MUNICIPALITY, municipality=municipality
        ),
        TRANEMOBOSTADER: Organisation.objects.get(slug=TRANEMOBOSTADER_SLUG),
    }
    if police_area is not None:
        parties[POLICE] = Organisation.objects.get(police_area=police_area)
    else:
        parties[POLICE] = Organisation.objects.get(slug=TRANEMO_POLICE_SLUG)
    return parties


def _load_period(spec: PeriodSpec) -> PromisePeriod:
    municipality = Municipality.objects.get(code=spec.municipality_code)
    police_area = PoliceArea.objects.get(name=spec.police_area) if spec.police_area else None
    parties = _parties(spec, municipality, police_area)

    period = _upsert(
        PromisePeriod,
        {"municipality": municipality, "slug": spec.slug},
        {
            "police_area": police_area,
            "title": spec.title,
            "starts_on": spec.starts_on,
            "ends_on": spec.ends_on,
            "status": spec.status,
            "adopted_on": None,
            "decision_reference": spec.decision_reference,
            "introduction": spec.introduction,
            "situation_picture": spec.situation_picture,
            "follow_up_text": spec.follow_up_text,
            "signed_on": spec.signed_on,
            "signed_place": spec.signed_place,
            "police_monthly_counts_only": False,
            "is_published": True,
            "is_demo": spec.is_demo,
        },
    )
    _set_m2m(period.partners, [Organisation.objects.get(slug=slug) for slug in spec.partners])

    wanted_sources = [(kind, description) for kind, description in spec.sources]
    if list(period.sources.values_list("kind", "description")) != wanted_sources:
        period.sources.all().delete()
        SituationSource.objects.bulk_create(
            SituationSource(period=period, kind=kind, description=description)
            for kind, description in wanted_sources
        )

    promises = {}
    for position, promise in enumerate(spec.promises, start=1):
        promises[position] = _upsert(
            Promise,
            {"period": period, "position": position},
            {
                "title": promise.title,
                "text": promise.text,
                "theme": Theme.objects.get(slug=promise.theme),
                "target_group": promise.target_group,
            },
        )
    period.promises.filter(position__gt=len(spec.promises)).delete()

    for position, activity_spec in enumerate(spec.activities, start=1):
        activity = _upsert(
            Activity,
            {"period": period, "position": position},
            {
                "promise": promises.get(activity_spec.promise),
                "description": activity_spec.description,
                "target_kind": activity_spec.target_kind,
                "target_quantity": activity_spec.target_quantity,
                "unit_singular": activity_spec.unit_singular,
                "unit_plural": activity_spec.unit_plural,
                "cadence": activity_spec.cadence,
            },
        )
        _set_m2m(
            activity.responsible_organisations,
            [parties[party] for party in activity_spec.responsible],
        )
    # Events of a dropped activity must be gone first (followup/demo.py deletes demo events).
    period.activities.filter(position__gt=len(spec.activities)).delete()

    for position, (name, title, party) in enumerate(spec.signatories, start=1):
        _upsert(
            Signatory,
            {"period": period, "position": position},
            {"name": name, "title": title, "organisation": parties[party]},
        )
    period.signatories.filter(position__gt=len(spec.signatories)).delete()
    return period


@transaction.atomic
def load_demo_periods(today: date | None = None) -> dict[str, PromisePeriod]:
    """Create or update the seed periods and the running demo period; returns them by key.

    ``today`` places the invented running period (default: today's local date).
    """
    today = today or timezone.localdate()
    load_seed_organisations()
    return {spec.key: _load_period(spec) for spec in period_specs(today)}
