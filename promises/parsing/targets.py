"""Targets of one activity: kind, quantity, unit, cadence, due date and owners.

Each value comes as a :class:`Field` with the words it was read from, so a review page can
highlight them, and a ``confident`` flag for values that are guesses (a default cadence, an
owner inferred from the kind of work rather than named).
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from .numbers import NumberMatch, find_numbers

POLICE = "police"
MUNICIPALITY = "municipality"

COUNT, MILESTONE, ONGOING, ON_REQUEST = "count", "milestone", "ongoing", "on_request"
PERIOD, YEAR, TERTIAL, MONTH, WEEK, DAY = "period", "year", "tertial", "month", "week", "day"

MONTHS = {
    name: index
    for index, name in enumerate(
        [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH_NAMES = "|".join(MONTHS)


@dataclass
class Field:
    """A parsed value with its evidence.

    ``sentence`` is the source sentence (or list item) and ``sentence_span`` its character span in
    the parsed document's text; ``span`` is the span of the words the value came from (``None``
    when the value is a default with nothing to point at).
    """

    value: object
    sentence: str = ""
    sentence_span: tuple[int, int] | None = None
    span: tuple[int, int] | None = None
    confident: bool = True


@dataclass
class ActivityContext:
    """What the rest of the document says that one activity's targets depend on."""

    period_start: date | None = None
    period_end: date | None = None
    default_owners: tuple[str, ...] = (POLICE, MUNICIPALITY)
    partners: tuple[str, ...] = ()
    yearly: bool = False  # "årliga medborgarlöften": counts without a cadence are per year
    lead_owners: tuple[str, ...] = ()  # from a lead-in such as "Polisen lovar att:"

    @property
    def one_year(self) -> bool:
        if not (self.period_start and self.period_end):
            return False
        return (self.period_end - self.period_start).days <= 366


@dataclass
class Targets:
    """The parsed targets of one activity; every attribute is a :class:`Field`."""

    kind: Field
    quantity: Field
    unit_singular: Field
    unit_plural: Field
    cadence: Field
    due: Field
    owners: Field
    problems: list[str] = field(default_factory=list)


# --- cadence ------------------------------------------------------------------------------------

_CADENCE_PATTERNS = [
    (r"(?:per|varje|i|om|/)\s*(?:kalender)?år(?:et)?\b|\bårligen\b|\bvarje\s+kalenderår\b", YEAR),
    (rf"\bvarje\s+(?:{_MONTH_NAMES})\b", YEAR),
    (r"(?:per|varje|/)\s*tertial\b|\bi\s+tertialet\b", TERTIAL),
    (r"(?:per|varje|/)\s*månad\b|\bi\s+månaden\b|\bmånatligen\b", MONTH),
    (r"(?:per|varje|/)\s*vecka\b|\bi\s+veckan\b|\bveckovis\b", WEEK),
    (r"(?:per|varje|/)\s*(?:dygn|dag)\b|\bi\s+dygnet\b|\bdagligen\b|\bom\s+dagen\b", DAY),
    (
        r"\b(?:under|i)\s+(?:hela\s+)?(?:perioden|avtalsperioden|löftestiden|åren)\b|\btotalt\b",
        PERIOD,
    ),
]
# Half-year units, turned into per year (two of them a year).
_HALF_YEAR = re.compile(r"(?:per|varje|/)\s*(?:termin|halvår)\b", re.IGNORECASE)
_UNDER_THE_YEAR = re.compile(r"\bunder\s+året\b", re.IGNORECASE)
_AVERAGE = re.compile(r"\bi\s+(?:snitt|genomsnitt)\b", re.IGNORECASE)
_OVER_THE_YEAR = re.compile(r"\b(?:över|under)\s+året\b|\bper\s+år\b", re.IGNORECASE)
_PER_UNIT_IN_YEAR = {TERTIAL: 3, MONTH: 12, WEEK: 52, DAY: 365}


def find_cadence(text: str) -> tuple[str, tuple[int, int]] | None:
    """The first cadence phrase in ``text`` and its span."""
    best = None
    for pattern, cadence in _CADENCE_PATTERNS:
        match = re.search(pattern, text, re.IGNORECASE)
        if match and (best is None or match.start() < best[1][0]):
            best = (cadence, match.span())
    return best


# --- quantity and unit --------------------------------------------------------------------------

_STOP_WORDS = frozenset(
    re.findall(
        r"\S+",
        "för med i på mot om per varje under till av vid enligt inom samt som där eller kring "
        "mellan från efter hos in ut utifrån gällande och att så den det de när då",
    )
)
_NOT_UNITS = {"år", "års", "procent", "%", "timmar", "minuter", "kr", "kronor", "antal", "av"}
_COUNTED_TIMES = {"gång", "gånger", "tillfälle", "tillfällen"}
_WORD = re.compile(r"[\wåäöÅÄÖé]+(?:-[\wåäöé]*)?", re.IGNORECASE)
_PLURAL_EXCEPTIONS = {"gång": "gånger", "kväll": "kvällar", "vecka": "veckor", "helg": "helger"}
_SINGULAR_EXCEPTIONS = {plural: singular for singular, plural in _PLURAL_EXCEPTIONS.items()}


def singular_of(word: str) -> str:
    """Swedish plural noun (or plural adjective) to singular, by the common endings."""
    lower = word.lower()
    if lower in _SINGULAR_EXCEPTIONS:
        return _SINGULAR_EXCEPTIONS[lower]
    for suffix, replacement in (("ade", "ad"), ("ande", "ande"), ("ende", "ende")):
        if lower.endswith(suffix):
            return word[: -len(suffix)] + replacement
    if lower.endswith(("ar", "er")) and len(word) > 4:
        return word[:-2]
    if lower.endswith("or") and len(word) > 4:
        return word[:-2] + "a"
    if lower.endswith("en") and len(word) > 4:
        return word[:-1]
    if lower.endswith("ma") and len(word) > 5:
        return word[:-2]
    return word


def plural_of(word: str) -> str:
    """Swedish singular noun to plural, by the common endings."""
    lower = word.lower()
    if lower in _PLURAL_EXCEPTIONS:
        return _PLURAL_EXCEPTIONS[lower]
    if lower.endswith("ing"):
        return word + "ar"
    if lower.endswith("e"):
        return word + "n"
    if lower.endswith("a"):
        return word[:-1] + "or"
    if lower.endswith(("sök", "samtal", "besök")):
        return word
    return word + "er"


def _looks_plural(word: str) -> bool:
    lower = word.lower()
    return lower in _SINGULAR_EXCEPTIONS or (
        len(word) > 4 and lower.endswith(("ar", "er", "or", "en"))
    )


def _words_after(text: str, position: int):
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, position)]


def _skip_cadence(text: str, position: int) -> int:
    """Past a cadence phrase right at ``position`` ("två per år riskhelger")."""
    found = find_cadence(text[position : position + 20])
    if found and text[position : position + found[1][0]].strip() == "":
        return position + found[1][1]
    return position


def _is_adjective(word: str, quantity: int) -> bool:
    lower = word.lower()
    return lower.endswith(("ade", "iga", "ska", "ande")) or (quantity > 1 and lower.endswith("a"))


def _unit_words(text: str, number: NumberMatch) -> list[tuple[str, int, int]]:
    position = _skip_cadence(text, number.end)
    words = []
    for word, start, end in _words_after(text, position)[:5]:
        lower = word.lower()
        joined_by_and = lower == "och" and words and words[-1][0].endswith("-")
        if lower in ("stycken", "st", "minst") and not words:
            continue
        if (lower in _STOP_WORDS and not joined_by_and) or word[0].isdigit():
            break
        gap = text[position:start]
        if not words and any(ch in gap for ch in ",.;:)"):
            break  # punctuation between the number and the next word ends the phrase
        words.append((word, start, end))
        if lower in _COUNTED_TIMES or not (
            _is_adjective(word, number.value) or joined_by_and or word.endswith("-")
        ):
            break
    return words


def _object_before(text: str, number: NumberMatch) -> tuple[str, int, int] | None:
    """The plural noun just before "minst en gång" ("genomföra tobakstillsyner minst en gång")."""
    before = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, 0, number.start)]
    while before and before[-1][0].lower() in ("minst", "högst", "cirka"):
        before.pop()
    if before and before[-1][0].lower().endswith(("er", "ar", "or")) and before[-1][0][0].islower():
        return before[-1]
    return None


@dataclass
class _Quantity:
    value: int
    span: tuple[int, int]
    unit_words: list
    confident: bool


def _is_excluded(text: str, number: NumberMatch) -> bool:
    after = text[number.end : number.end + 12].lower()
    before = text[max(0, number.start - 12) : number.start].lower()
    if 1900 <= number.value <= 2100 and not number.is_article:
        return True
    if re.match(rf"\s*(?:år\b|års\b|%|procent|§|kr\b|timmar|-\s*\d|–\s*\d|{_MONTH_NAMES})", after):
        return True
    if re.search(r"(åldern|årskurs|upp till|grupp|sol|senast|den|e|\d\s?[-–])\s*$", before):
        return True
    return bool(number.is_article and re.match(r"\s*(?:antal|del|rad)\b", after))


def _article_counts(text: str, number: NumberMatch) -> bool:
    """An "en"/"ett" is a number only with "minst", "gång", or a cadence right by it."""
    before = text[max(0, number.start - 16) : number.start].lower()
    after = text[number.end : number.end + 45].lower()
    if "minst" in before or after.strip().startswith("gång"):
        return True
    near = find_cadence(after) or find_cadence(before)
    return near is not None and near[0] != PERIOD


def find_quantity(text: str) -> _Quantity | None:
    """The counted quantity of an activity, with the unit words after it."""
    numbers = find_numbers(text)
    # Digits and number words before "en"/"ett", which are more often articles.
    for index, number in sorted(enumerate(numbers), key=lambda item: item[1].is_article):
        if _is_excluded(text, number):
            continue
        if number.is_article and not _article_counts(text, number):
            continue
        words = _unit_words(text, number)
        upper = numbers[index + 1] if index + 1 < len(numbers) else None
        if not words and upper and re.match(r"\s*till\s*$", text[number.end : upper.start]):
            # "två till tre skolbesök": the lower bound, with the unit after the upper one.
            words = _unit_words(text, upper)
            if words:
                return _Quantity(number.value, (number.start, upper.end), words, False)
        if not words or words[0][0].lower() in _NOT_UNITS:
            continue
        if words[0][0].lower() in _COUNTED_TIMES:
            obj = _object_before(text, number)
            if obj:
                words = [obj]
        # "två till tre skolbesök": the lower bound is what is promised.
        confident = not re.match(r"\s*till\s", text[number.end : number.end + 6])
        value, end = _add_same_unit(text, numbers[index + 1 :], number.value, words)
        confident = confident and end is None
        return _Quantity(value, (number.start, end or number.end), words, confident)
    return None


def _add_same_unit(
    text: str, later: list[NumberMatch], value: int, words
) -> tuple[int, int | None]:
    """ "två trygghetsvandringar på X samt två trygghetsvandringar i Y": four in all."""
    end = None
    for number in later:
        if _is_excluded(text, number) or number.is_article:
            continue
        other = _unit_words(text, number)
        if other and other[-1][0].lower() == words[-1][0].lower():
            value += number.value
            end = number.end
    return value, end


def unit_forms(words: list[tuple[str, int, int]], quantity: int) -> tuple[str, str]:
    """Singular and plural of the unit phrase ("riktade insatser" → "riktad insats")."""
    if not words:
        return "", ""
    texts = [w[0] for w in words]
    head = texts[-1]
    if quantity == 1 and not _looks_plural(head) or (not _looks_plural(head) and quantity > 1):
        singular = texts
        plural = [*texts[:-1], plural_of(head)]
        if quantity > 1 and head.lower().endswith(("sök", "samtal", "besök")):
            plural = texts
    else:
        singular = [singular_of(t) for t in texts[:-1]] + [singular_of(head)]
        plural = texts
    return " ".join(singular).replace("- och ", "- och "), " ".join(plural)


# --- kind -----------------------------------------------------------------------------------------

_ON_REQUEST = re.compile(
    r"\bönskemål\b|\bförfrågan\b|\bpå\s+begäran\b|^\s*önskar\b|\bnär\s+behov\s+finns\b"
    r"|\bom\s+behov\s+finns\b|\bsom\s+(?:så\s+)?önskar\b|\bupp\s+till\s+\w+\s",
    re.IGNORECASE,
)
_ONGOING_WORDS = re.compile(r"\b(kontinuerligt|löpande|regelbundet|regelbundna)\b", re.IGNORECASE)
_STRONG_MILESTONE = re.compile(
    r"\b(upprätta|upprättas|ta\s+fram|tas\s+fram|inrätta|utarbeta|utreda\s+möjlighet\w*)\b",
    re.IGNORECASE,
)
_MILESTONE_VERB = re.compile(
    r"\b(genomföra|genomför|anordna|ordna|arrangera|upplåta|erbjuda|presentera|skapa|starta"
    r"|införa|etablera|utse|bilda|ta)\b((?:\s+(?!för\b|i\b|med\b|på\b|av\b|mot\b|om\b)[\wåäö-]+){0,4}?)"
    r"\s+(en|ett)\s+(?!antal\b|del\b)",
    re.IGNORECASE,
)
_DUE_DATE = re.compile(
    rf"\bsenast\s+(?:den\s+)?(\d{{1,2}})\s+({_MONTH_NAMES})(?:\s+(\d{{4}}))?", re.I
)
_DUE_MONTH = re.compile(
    rf"\b(?:i|under|senast\s+i|före\s+utgången\s+av)\s+({_MONTH_NAMES})(?:\s+(\d{{4}}))?\b", re.I
)
_DUE_YEAR = re.compile(r"\b(?:under\s+|senast\s+|till\s+)?(20\d\d)\b")


def _resolve_year(month: int, context: ActivityContext) -> int | None:
    start = context.period_start
    if start is None:
        return None
    return start.year if month >= start.month else start.year + 1


def find_due(text: str, context: ActivityContext) -> tuple[date, tuple[int, int], bool] | None:
    """A milestone's due date: "senast 30 juni", "i januari", "2022"."""
    match = _DUE_DATE.search(text)
    if match:
        month = MONTHS[match.group(2).lower()]
        year = int(match.group(3)) if match.group(3) else _resolve_year(month, context)
        if year:
            return date(year, month, int(match.group(1))), match.span(), bool(match.group(3))
    match = _DUE_MONTH.search(text)
    if match:
        month = MONTHS[match.group(1).lower()]
        year = int(match.group(2)) if match.group(2) else _resolve_year(month, context)
        if year:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, last), match.span(), bool(match.group(2))
    match = _DUE_YEAR.search(text)
    if match:
        return date(int(match.group(1)), 12, 31), match.span(), True
    return None


# --- owners ---------------------------------------------------------------------------------------

_POLICE_RE = re.compile(
    r"\b(polis|polisen|polisens|kommunpolis\w*|områdespolis\w*|lokalpolisområde\w*"
    r"|polismyndighet\w*)\b",
    re.IGNORECASE,
)
_MUNICIPALITY_RE = re.compile(
    r"\b(kommun|kommunen|kommunens|socialtjänst\w*|skola|skolor|skolpersonal|fritidspersonal"
    r"|fältarbetare|ungdomsrådet)\b",
    re.IGNORECASE,
)
# Work only one side does, for activities that name no one ("Ökad polisiär närvaro").
_POLICE_WORK = re.compile(
    r"\b(polisiär\w*|trafikkontroll\w*|riktade\s+insatser|hundsök|narkotikasök|brottsaktiva"
    r"|patrull\w*|poliskontor\w*|LOB)\b",
    re.IGNORECASE,
)
_MUNICIPAL_WORK = re.compile(
    r"\b(?:fältarbetare|fritidsgård\w*|kommunens\s+hemsida|skolnärvaro|hastighetsdämpande"
    r"|serveringstillstånd|utemiljö\w*|socialtjänst\w*)\b|\bfritids-",
    re.IGNORECASE,
)
_SUBJECT_END = re.compile(
    r"\b(ska|skall|lovar|kommer|har|genomför|jobbar|arbetar|informerar|ökar|erbjuder|samordnar"
    r"|finns|berättar|åker|träffas|ansvarar|deltar|ordnar|verkar|satsar|gör|ger|utför|bidrar)\b",
    re.IGNORECASE,
)
_JOINT_WITH = re.compile(
    r"\b(?:tillsammans|i\s+samverkan|i\s+samarbete|gemensamt)\s+med\s+((?:[\wåäöÅÄÖ-]+[\s,]*){1,6})",
    re.IGNORECASE,
)
_JOINTLY = re.compile(r"\b(gemensamt|gemensamma|tillsammans)\b(?!\s+med)", re.IGNORECASE)
_WE = re.compile(r"^\s*(?:\w+\s+){0,3}?vi\b", re.IGNORECASE)


def _parties_in(text: str, partners: tuple[str, ...]) -> list[tuple[str, tuple[int, int]]]:
    found = [(POLICE, m.span()) for m in _POLICE_RE.finditer(text)]
    found += [(MUNICIPALITY, m.span()) for m in _MUNICIPALITY_RE.finditer(text)]
    for name in partners:
        for m in re.finditer(rf"\b{re.escape(name)}\b|\bbostadsbolag\w*", text, re.IGNORECASE):
            found.append((f"partner:{name}", m.span()))
    return sorted(found, key=lambda item: item[1][0])


def order_owners(owners) -> list[str]:
    """Police first, then the municipality, then partners in the order found."""
    unique = list(dict.fromkeys(owners))
    rank = {POLICE: 0, MUNICIPALITY: 1}
    return sorted(unique, key=lambda owner: (rank.get(owner, 2), unique.index(owner)))


def find_owners(text: str, context: ActivityContext) -> tuple[list[str], list, bool]:
    """Who does the activity: the subject, plus "tillsammans med …"; else inferred."""
    spans = []
    subject_end = _SUBJECT_END.search(text)
    subject = text[: subject_end.start()] if subject_end and subject_end.start() < 90 else ""
    owners = [party for party, span in _parties_in(subject, context.partners)]
    spans += [span for party, span in _parties_in(subject, context.partners)]
    confident = bool(owners)
    if not owners and _WE.match(subject or text[:20]):
        owners = list(context.default_owners)
    for match in _JOINT_WITH.finditer(text):
        for party, (start, end) in _parties_in(match.group(1), context.partners):
            owners.append(party)
            spans.append((match.start(1) + start, match.start(1) + end))
    if owners and _JOINTLY.search(text) and len(set(owners)) == 1:
        owners += list(context.default_owners)
    if not owners and context.lead_owners:
        owners, confident = list(context.lead_owners), True
    elif not owners:
        owners, spans = _inferred_owners(text, context)
        confident = False
    else:
        owners += _later_subjects(text, context)
    return order_owners(owners), spans, confident


def _later_subjects(text: str, context: ActivityContext) -> list[str]:
    """Parties that are the subject of a later sentence in the same item."""
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", text)[1:]:
        end = _SUBJECT_END.search(sentence)
        if end and end.start() < 60:
            found += [party for party, _ in _parties_in(sentence[: end.start()], context.partners)]
    return found


def _inferred_owners(text: str, context: ActivityContext):
    """No subject: the parties named in it, or the kind of work, or the document's parties."""
    between = re.search(r"\bmellan\b(.{0,60})", text)
    if between:
        named = _parties_in(between.group(1), context.partners)
        if named:
            return [p for p, _ in named], [s for _, s in named]
    owners, spans = [], []
    for pattern, party in ((_POLICE_WORK, POLICE), (_MUNICIPAL_WORK, MUNICIPALITY)):
        match = pattern.search(text)
        if match:
            owners.append(party)
            spans.append(match.span())
    for party, span in _parties_in(text, context.partners):
        word = text[span[0] : span[1]].lower()
        if word.endswith("ens") or re.search(
            r"\b(i|inom|för|mot|över|av|hos)\s+(hela\s+)?$",
            text[max(0, span[0] - 12) : span[0]].lower(),
        ):
            continue  # "kommunens byar", "i kommunen": not a doer
        owners.append(party)
        spans.append(span)
    if not owners:
        owners = list(context.default_owners)
    return owners, spans


# --- putting it together --------------------------------------------------------------------------


def _field(value, text, offset, span=None, confident=True) -> Field:
    absolute = (offset + span[0], offset + span[1]) if span else None
    return Field(value, text, (offset, offset + len(text)), absolute, confident)


def _cadence_for_count(text: str, quantity: int, context: ActivityContext):
    """(cadence, quantity, span, confident) for a counted activity."""
    if _AVERAGE.search(text):
        found = find_cadence(text)
        longer = _OVER_THE_YEAR.search(text)
        if found and found[0] in _PER_UNIT_IN_YEAR and longer:
            return YEAR, quantity * _PER_UNIT_IN_YEAR[found[0]], found[1], True
    half = _HALF_YEAR.search(text)
    if half:
        return YEAR, quantity * 2, half.span(), False
    found = find_cadence(text)
    if found:
        return found[0], quantity, found[1], True
    under = _UNDER_THE_YEAR.search(text)
    if under:
        return (PERIOD if context.one_year else YEAR), quantity, under.span(), True
    if context.yearly:
        return YEAR, quantity, None, False
    return PERIOD, quantity, None, bool(context.period_start)


def analyse(text: str, offset: int = 0, context: ActivityContext | None = None) -> Targets:
    """The targets of one activity whose text starts at ``offset`` in the document."""
    context = context or ActivityContext()
    owners, owner_spans, owners_sure = find_owners(text, context)
    owner_span = (
        (min(s[0] for s in owner_spans), max(s[1] for s in owner_spans)) if owner_spans else None
    )
    owners_field = _field(owners, text, offset, owner_span, owners_sure)
    empty = _field(None, text, offset)
    quantity = find_quantity(text)
    on_request = _ON_REQUEST.search(text)
    explicit = quantity and find_cadence(text)
    if on_request and not explicit:
        return Targets(
            _field(ON_REQUEST, text, offset, on_request.span()),
            empty,
            _field("", text, offset),
            _field("", text, offset),
            _field("", text, offset),
            empty,
            owners_field,
        )
    if quantity:
        return _count_targets(text, offset, context, quantity, owners_field)
    kind, kind_span, due = _one_off_or_ongoing(text, context)
    due_field = _field(due[0], text, offset, due[1], due[2]) if due else empty
    return Targets(
        _field(kind, text, offset, kind_span, kind_span is not None or kind == ONGOING),
        empty,
        _field("", text, offset),
        _field("", text, offset),
        _field("", text, offset),
        due_field,
        owners_field,
    )


def _count_targets(text, offset, context, quantity: _Quantity, owners_field) -> Targets:
    cadence, value, cadence_span, cadence_sure = _cadence_for_count(text, quantity.value, context)
    singular, plural = unit_forms(quantity.unit_words, quantity.value)
    unit_span = (quantity.unit_words[0][1], quantity.unit_words[-1][2])
    unit_sure = len(quantity.unit_words) <= 2
    return Targets(
        _field(COUNT, text, offset, quantity.span),
        _field(value, text, offset, quantity.span, quantity.confident),
        _field(singular, text, offset, unit_span, unit_sure),
        _field(plural, text, offset, unit_span, unit_sure),
        _field(cadence, text, offset, cadence_span, cadence_sure),
        _field(None, text, offset),
        owners_field,
    )


def _one_off_or_ongoing(text: str, context: ActivityContext):
    """(kind, span of the deciding words, due) for an activity without a counted quantity."""
    strong = _STRONG_MILESTONE.search(text)
    verb = _MILESTONE_VERB.search(text)
    if strong or verb:
        span = (strong or verb).span()
        return MILESTONE, span, find_due(text, context)
    due = _DUE_DATE.search(text) or _DUE_MONTH.search(text)
    if due and not _ONGOING_WORDS.search(text):
        return MILESTONE, due.span(), find_due(text, context)
    ongoing = _ONGOING_WORDS.search(text)
    return ONGOING, (ongoing.span() if ongoing else None), None
