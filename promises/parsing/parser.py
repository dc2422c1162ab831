"""The structure of a promise text: kommun, period, promises, activities, signatories.

Rule-based and deterministic. The text is read line by line into blocks (headings, list items,
paragraphs, lead-in lines ending with a colon); a small state machine decides whether list items
are promises or activities from the lead-in before them ("lovar gemensamt att arbeta för:",
"Aktiviteter", "Det ska vi åstadkomma genom följande aktiviteter:", "Polisen lovar att:") and
from topic headings ("Narkotika", "Tillgänglighet och trafik"). Texts with no lists (decision
memos, news items) fall back to sentences ("… ska verka för att …", "… kommer det ske …").
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from .targets import (
    MONTHS,
    MUNICIPALITY,
    POLICE,
    ActivityContext,
    Field,
    Targets,
    _parties_in,
    analyse,
    order_owners,
)

KOMMUNER_CSV = Path(__file__).resolve().parents[2] / "municipalities" / "data" / "kommuner.csv"
_MONTH = "|".join(MONTHS)


@dataclass
class ParsedActivity:
    """One activity: its verbatim text, where it is, and its targets."""

    text: str
    span: tuple[int, int]
    targets: Targets


@dataclass
class ParsedPromise:
    """A promise; ``title.value`` is ``None`` for activities that belong to no promise."""

    title: Field
    activities: list[ParsedActivity] = field(default_factory=list)
    from_heading: bool = False


@dataclass
class ParsedSignatory:
    name: Field
    title: Field
    organisation: Field


@dataclass
class ParsedDocument:
    """Everything parsed from one text; each value is a :class:`Field` with its evidence."""

    text: str
    kommun: Field
    starts_on: Field
    ends_on: Field
    promises: list[ParsedPromise]
    signatories: list[ParsedSignatory]
    signed_on: Field
    signed_place: Field

    def activities(self) -> list[ParsedActivity]:
        return [activity for promise in self.promises for activity in promise.activities]


# --- blocks -----------------------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # heading, intro, item, para
    text: str
    start: int
    end: int


_ITEM_RE = re.compile(r"^\s*(?:[•\-*–·▪●]|\d{1,2}[.)])\s+(?=\S)")
_MARKUP_RE = re.compile(r"\*\*|__|^#+\s*")
_INLINE_ITEM_RE = re.compile(r"(?<=[.!?])\s+-\s+(?=[A-ZÅÄÖ])")
_CHROME = re.compile(
    r"^(sök|stäng meny|till toppen|till huvudinnehåll|sök på polisen\.se|skriv ut|dela)$", re.I
)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _MARKUP_RE.sub("", text)).strip()


def _lines(text: str):
    position = 0
    for line in text.splitlines(keepends=True):
        yield line.rstrip("\r\n"), position
        position += len(line)


def _classify(content: str) -> str:
    words = content.split()
    if content.endswith(":"):
        return "intro"
    if content[-1] not in ".!?" and len(words) <= 9 and content[0].isupper():
        return "heading"
    return "para"


def read_blocks(text: str) -> list[Block]:
    """The text as headings, intros, list items (continuations joined) and paragraphs."""
    blocks: list[Block] = []
    previous_item = False
    for line, start in _lines(text):
        content = _clean(line)
        if not content or _CHROME.match(content):
            previous_item = False
            continue
        marker = _ITEM_RE.match(line)
        is_quote = line.lstrip().startswith("–") and ", säger " in line
        if marker and not is_quote:
            body_start = start + marker.end()
            blocks.extend(_split_inline(text, body_start, start + len(line)))
            previous_item = True
        elif previous_item and (content[0].islower() or content[0] in ",("):
            pieces = _split_inline(text, start, start + len(line))
            head = pieces[0]
            blocks[-1] = Block("item", f"{blocks[-1].text} {head.text}", blocks[-1].start, head.end)
            blocks.extend(pieces[1:])
        else:
            kind = "para" if is_quote else _classify(content)
            if line.lstrip().startswith("#"):
                kind = "heading"
            blocks.append(Block(kind, content, start + len(line) - len(line.lstrip()), start + len(line)))
            previous_item = False
    return blocks


def _split_inline(text: str, start: int, end: int) -> list[Block]:
    """One list item, or several when a PDF put them on one line ("… relationer. - Vi ska …")."""
    raw = text[start:end]
    pieces, position = [], 0
    for match in _INLINE_ITEM_RE.finditer(raw):
        pieces.append((position, match.start()))
        position = match.end()
    pieces.append((position, len(raw)))
    return [Block("item", _clean(raw[a:b]), start + a, start + b) for a, b in pieces if raw[a:b].strip()]


# --- lead-ins, headings, titles -------------------------------------------------------------------

_STOP_HEADING = re.compile(
    r"^(lägesbild|uppföljning|bakgrund|vad är ett medborgarlöfte|sammanfattning|beskrivning av"
    r"|ekonomi|samråd|beslutsunderlag|beslutet skickas|omvärldsanalys|förslag till beslut"
    r"|kontakt|relaterade länkar|problembild|digital medborgardialog|resultat|följ med"
    r"|så går arbetet|situationen idag|läs mer|mer information|det här ska vi åstadkomma"
    r"|handläggare|mottagare|kontinuerlig uppföljning|inledning)",
    re.I,
)
_PERIOD_HEADING = re.compile(r"medborgarlöfte|–\s*medborgarlöften|\b(19|20)\d\d\b", re.I)
_ACTIVITY_INTRO = re.compile(
    r"\baktiviteter\s*:?$|följande aktiviteter|nedan aktiviteter|genom att\s*:$"
    r"|\blovar(?: medborgarna)?(?: att)?\s*:$|^det här ska vi göra|^det ska vi göra"
    r"|består av aktiviteter",
    re.I,
)
_PROMISE_INTRO = re.compile(
    r"\b(arbeta|jobba|verka)\s+för(\s+att)?\s*:?$|följande (gemensamma )?medborgarlöft"
    r"|anta följande|(prioriterade|följande)\s+(områden|fokusområden)|\bområden\b.*:$"
    r"|^\w+\s+fokusområden\b",
    re.I,
)
_GOAL_START = re.compile(
    r"^(att\s+)?(öka|minska|förebygga|förbättra|stärka|arbeta|skapa förutsättningar|motverka)\b",
    re.I,
)
_ACTION_SUBJECT = re.compile(r"^(?:[\wåäöÅÄÖ-]+[\s,]+){0,6}?(ska|skall)\b", re.I)
_ABOUT_THE_PROMISE = re.compile(r"medborgarlöfte", re.I)


def promise_title(text: str) -> str:
    """A list item as a promise title: capitalised, " ." closed up, trailing comma dropped."""
    title = re.sub(r"\s+([.,;:])", r"\1", _clean(text)).rstrip(",; ")
    return title[:1].upper() + title[1:]


def _goal_before_genom_att(text: str) -> str | None:
    """ "Polisen och kommunen lovar att arbeta för X. Detta gör vi genom att:" → the goal."""
    head = re.sub(r"\s*(detta gör vi\s+)?genom att\s*:$", "", text, flags=re.I).strip()
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", head) if s]
    if not sentences:
        return None
    first = sentences[0]
    if re.search(r"\blovar att (arbeta|jobba|verka)\b", first, re.I) or _GOAL_START.match(first):
        return first.rstrip(".")  if not first.endswith(".") else first
    return None


# --- the state machine --------------------------------------------------------------------------------


class _Reader:
    """Walks the blocks and collects promises and activity spans."""

    def __init__(self, context: ActivityContext):
        self.context = context
        self.promises: list[ParsedPromise] = []
        self.loose = ParsedPromise(Field(None))
        self.mode = "none"  # none, promises, activities, topic
        self.pending: list[Block] = []
        self.current: ParsedPromise | None = None
        self.owners: tuple[str, ...] = context.default_owners
        self.items: list[tuple[ParsedPromise, Block, tuple[str, ...], tuple[str, ...]]] = []
        self.lead_owners: tuple[str, ...] = ()
        self.candidate: Block | None = None  # a "… lovar att arbeta för …" paragraph
        self._candidate_before: Block | None = None
        self._listed: list[ParsedPromise] = []  # promises of the last promise list

    def feed(self, block: Block) -> None:
        candidate = self.candidate
        handler = getattr(self, f"_on_{block.kind}")
        if block.kind != "para":
            self.candidate = None
        if block.kind == "intro" or block.kind == "heading":
            self._candidate_before = candidate
        handler(block)

    def finish(self) -> list[ParsedPromise]:
        self._flush(as_promises=False)
        promises = [p for p in self.promises if p.activities or not p.from_heading]
        if self.loose.activities:
            promises.append(self.loose)
        return promises

    def _flush(self, as_promises: bool) -> list[ParsedPromise]:
        added = []
        for block in self.pending:
            if as_promises:
                added.append(self._add_promise(block))
            elif not _ABOUT_THE_PROMISE.search(block.text):
                self._add_activity(block, self.loose)
        self.pending = []
        return added

    def _add_promise(self, block: Block) -> ParsedPromise:
        title = Field(promise_title(block.text), block.text, (block.start, block.end), (block.start, block.end))
        promise = ParsedPromise(title)
        self.promises.append(promise)
        self._listed.append(promise)
        return promise

    def _add_activity(self, block: Block, promise: ParsedPromise | None) -> None:
        self.items.append((promise or self.loose, block, self.owners, self.lead_owners))

    def _on_heading(self, block: Block) -> None:
        text = block.text
        if _ACTIVITY_INTRO.search(text) or _PROMISE_INTRO.search(text):
            return self._on_intro(block)
        if _STOP_HEADING.match(text) or _PERIOD_HEADING.search(text):
            self._flush(as_promises=False)
            self.mode, self.current = "none", None
            return None
        self._flush(as_promises=False)
        title = Field(promise_title(text), text, (block.start, block.end), (block.start, block.end))
        self.current = ParsedPromise(title, from_heading=True)
        self.promises.append(self.current)
        self.mode = "activities" if self.mode == "activities" else "topic"
        return None

    def _on_intro(self, block: Block) -> None:
        text = block.text
        parties = tuple(order_owners(p for p, _ in _parties_in(text, self.context.partners)))
        if _ACTIVITY_INTRO.search(text):
            listed = self._flush(as_promises=True) or self._listed
            goal = _goal_before_genom_att(text) if text.endswith(":") else None
            fresh_topic = self.current and self.current.from_heading and not self._has_items(self.current)
            candidate = getattr(self, "_candidate_before", None)
            if goal:
                title = Field(promise_title(goal), text, (block.start, block.end), (block.start, block.start + len(goal)))
                self.current = ParsedPromise(title)
                self.promises.append(self.current)
            elif fresh_topic:
                pass
            elif candidate is not None:
                span = (candidate.start, candidate.end)
                self.current = ParsedPromise(Field(promise_title(candidate.text), candidate.text, span, span))
                self.promises.append(self.current)
            elif len(listed) == 1:
                self.current = listed[0]  # one promise: its activities follow
            else:
                self.current = None
            self._listed = []
            self.mode = "activities"
            self.owners = parties or self.context.default_owners
            self.lead_owners = parties if re.search(r"\blovar\b[^:]*:$", text) else ()
        elif _PROMISE_INTRO.search(text):
            self._flush(as_promises=False)
            self.mode, self.current, self._listed = "promises", None, []
            self.owners = parties or self.context.default_owners
        else:
            self._flush(as_promises=False)
            self.mode, self.current = "none", None

    def _has_items(self, promise: ParsedPromise) -> bool:
        return any(item[0] is promise for item in self.items)

    def _on_item(self, block: Block) -> None:
        if self.mode == "promises":
            self._add_promise(block)
        elif self.mode in ("activities", "topic"):
            self._add_activity(block, self.current)
        else:
            self.pending.append(block)

    def _on_para(self, block: Block) -> None:
        self.candidate = None
        if _PROMISE_INTRO.search(block.text) and block.text.rstrip().endswith(("för att", "för")):
            return self._on_intro(block)
        parties = tuple(order_owners(p for p, _ in _parties_in(block.text, self.context.partners)))
        if self.mode == "none" and re.search(r"medborgarlöfte", block.text, re.I) and parties:
            self.owners = parties  # "polisens medborgarlöften", "från polis och kommun"
        if self.mode == "none" and re.search(r"\blovar att (?:\w+ )?(arbeta|jobba|verka) för\b", block.text, re.I):
            self.candidate = block
        if re.search(r"följande (gemensamma )?medborgarlöft|följande aktiviteter", block.text, re.I):
            return self._on_intro(block)
        if self.mode == "activities" and _ACTION_SUBJECT.match(block.text):
            subject = _ACTION_SUBJECT.match(block.text).group(0)
            if _parties_in(subject, self.context.partners) and not _goal_like(block.text):
                self._add_activity(block, self.current)
        return None


def _goal_like(text: str) -> bool:
    return bool(re.search(r"\b(arbeta|jobba|verka)\s+för\b", text, re.I))


# --- document-level facts ------------------------------------------------------------------------------


@cache
def kommun_names() -> frozenset[str]:
    with KOMMUNER_CSV.open(encoding="utf-8") as handle:
        return frozenset(row["name"] for row in csv.DictReader(handle))


def _kommun_of(word: str) -> str | None:
    names = kommun_names()
    if word in names:
        return word
    if word.endswith("s") and word[:-1] in names:
        return word[:-1]
    return None


_KOMMUN_PATTERNS = [
    re.compile(r"^\s*#*\s*([A-ZÅÄÖ][\wåäö-]+(?:\s[A-ZÅÄÖ][\wåäö-]+)?)\s+[–-]\s+medborgarlöften", re.M),
    re.compile(r"[Mm]edborgarlöften?\s+i\s+([A-ZÅÄÖ][\wåäö-]+)"),
    re.compile(r"\b([A-ZÅÄÖ][\wåäö-]+(?:[\s-][A-ZÅÄÖ][\wåäö-]+)?)\s+kommuns?\b"),
]


def find_kommun(text: str) -> Field:
    """The kommun the text is about: the page title, else the most named "X kommun"."""
    for pattern in _KOMMUN_PATTERNS[:2]:
        for match in pattern.finditer(text):
            name = _kommun_of(match.group(1))
            if name:
                return Field(name, match.group(0).strip(), match.span(), match.span(1))
    counts: dict[str, list] = {}
    for match in _KOMMUN_PATTERNS[2].finditer(text):
        name = _kommun_of(match.group(1))
        if name:
            counts.setdefault(name, []).append(match)
    if not counts:
        return Field(None, confident=False)
    name, matches = max(counts.items(), key=lambda item: len(item[1]))
    first = matches[0]
    return Field(name, first.group(0), first.span(), first.span(1), confident=len(counts) == 1)


_DASH = r"\s*[-–—]\s*"
_DATE_WORDS = rf"(\d{{1,2}})\s+({_MONTH})(?:\s+(\d{{4}}))?"
_EXPLICIT_RANGE = re.compile(rf"(?:den\s+)?{_DATE_WORDS}{_DASH}(?:den\s+)?{_DATE_WORDS}", re.I)
_ISO_RANGE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\s*[-–—]+\s*(\d{4})-(\d{2})-(\d{2})")
_MONTH_RANGE = re.compile(rf"\b({_MONTH}){_DASH}({_MONTH})\s+(\d{{4}})\b", re.I)
_SEASON = re.compile(r"\b(våren|hösten|sommaren|vintern)\s+(\d{4})\b", re.I)
_YEAR_RANGE = re.compile(r"(?<![\d-])((?:19|20)\d\d)(?:\s*[-–—]\s*|\s+och\s+)((?:19|20)\d\d)(?![\d-])")
_YEAR = re.compile(r"(?<![\d-])((?:19|20)\d\d)(?![\d-])")
_PERIOD_LINE = re.compile(
    r"medborgarlöfte|gäller|gälla|löper|löpa|perioden|för\s+åren?|under\s+åren|lyder|valts för"
    r"|tidsperioden|^under\s|\bunder\s+(?:19|20)\d\d\b",
    re.I,
)
_SEASONS = {"våren": (1, 6), "sommaren": (6, 8), "hösten": (9, 12), "vintern": (1, 2)}


def _last_day(year: int, month: int) -> date:
    import calendar

    return date(year, month, calendar.monthrange(year, month)[1])


def find_period(text: str) -> tuple[Field, Field]:
    """The period: explicit dates, else a year range or year on a promise line, else a season."""
    for found in (_explicit_period(text), _line_period(text), _season_period(text)):
        if found:
            start, end, span, sure = found
            sentence = text[span[0] : span[1]]
            return Field(start, sentence, span, span, sure), Field(end, sentence, span, span, sure)
    return Field(None, confident=False), Field(None, confident=False)


def _explicit_period(text: str):
    for line, offset in _lines(text):
        if _PERIOD_LINE.search(line):
            found = _explicit_in(line)
            if found:
                start, end, span, sure = found
                return start, end, (offset + span[0], offset + span[1]), sure
    return None


def _explicit_in(text: str):
    match = _SEASON.search(text)
    if match:
        return _season_period(text)
    match = _ISO_RANGE.search(text)
    if match:
        a, b = [int(x) for x in match.groups()[:3]], [int(x) for x in match.groups()[3:]]
        return date(*a), date(*b), match.span(), True
    match = _EXPLICIT_RANGE.search(text)
    if match:
        d1, m1, y1, d2, m2, y2 = match.groups()
        year2 = int(y2) if y2 else None
        year1 = int(y1) if y1 else year2
        if year1 and year2:
            start = date(year1, MONTHS[m1.lower()], int(d1))
            return start, date(year2, MONTHS[m2.lower()], int(d2)), match.span(), True
    match = _MONTH_RANGE.search(text)
    if match:
        year = int(match.group(3))
        start = date(year, MONTHS[match.group(1).lower()], 1)
        return start, _last_day(year, MONTHS[match.group(2).lower()]), match.span(), True
    return None


def _line_period(text: str):
    passes = [(pattern, promise_line) for pattern in (_YEAR_RANGE, _YEAR) for promise_line in (True, False)]
    for pattern, promise_line in passes:
        for line, offset in _lines(text):
            if not _PERIOD_LINE.search(line) or re.search(r"\bårs\b|förlänga|rapporten", line):
                continue
            if promise_line != bool(re.search(r"medborgarlöfte", line, re.I)):
                continue
            match = pattern.search(line)
            if match:
                first = int(match.group(1))
                last = int(match.group(2)) if pattern is _YEAR_RANGE else first
                if 0 <= last - first <= 5:
                    span = (offset + match.start(), offset + match.end())
                    return date(first, 1, 1), date(last, 12, 31), span, True
    return None


def _season_period(text: str):
    match = _SEASON.search(text)
    if not match:
        return None
    first, last = _SEASONS[match.group(1).lower()]
    year = int(match.group(2))
    return date(year, first, 1), _last_day(year, last), match.span(), False


_PLACE_DATE = re.compile(
    rf"^[ \t]*([A-ZÅÄÖ][a-zåäö-]+(?:[ ][A-ZÅÄÖ][a-zåäö-]+)?)(?:,|[ ]den)?[ \t]+"
    rf"(\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[ ]+(?:{_MONTH})[ ]+\d{{4}})[ \t]*$",
    re.M,
)
_NOT_PLACES = re.compile(r"^(uppdaterad|publicerad|senast|granskad|ändrad|sidan|artikeln|datum)", re.I)
_SIGNED_PROSE = re.compile(
    rf"(?:signerades|undertecknades|skrevs under)\s+(?:den\s+)?(\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})\s+i\s+([A-ZÅÄÖ][\wåäö-]+)\s+(?:mellan|av)\s+([^\n]+?)\.?\s*$",
    re.M,
)


def to_date(text: str) -> date | None:
    """ "2023-05-30" or "27 november 2015" as a date."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if match:
        return date(*(int(x) for x in match.groups()))
    match = re.fullmatch(rf"(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})", text.strip(), re.I)
    if match:
        return date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
    return None


def find_signing(text: str):
    """(signed_on, signed_place, signatories) from a "Aneby 2023-05-30" block or a sentence."""
    match = next((m for m in _PLACE_DATE.finditer(text) if not _NOT_PLACES.match(m.group(1))), None)
    if match:
        on = Field(to_date(match.group(2)), match.group(0).strip(), match.span(), match.span(2))
        place = Field(match.group(1), match.group(0).strip(), match.span(), match.span(1))
        return on, place, _signature_block(text, match.end())
    match = _SIGNED_PROSE.search(text)
    if match:
        on = Field(to_date(match.group(1)), match.group(0), match.span(), match.span(1))
        place = Field(match.group(2), match.group(0), match.span(), match.span(2))
        return on, place, _signatories_in_sentence(match)
    return Field(None), Field(None), []


def _signature_block(text: str, position: int) -> list[ParsedSignatory]:
    """Name / title / organisation groups after the place and date, in blocks or columns."""
    groups, group = [], []
    for line, start in _lines(text[position:]):
        content = line.strip()
        if _CHROME.match(content):
            break
        if not content:
            if group:
                groups.append(group)
            group = []
            continue
        columns = [c for c in re.split(r"\s{3,}", content) if c]
        group.append([(c, position + start + line.index(c)) for c in columns])
    if group:
        groups.append(group)
    if groups and all(len(g) == 1 for g in groups) and len({len(g[0]) for g in groups}) == 1:
        # Columns: one line of names, one of titles (…), side by side.
        rows = [g[0] for g in groups]
        return [_signatory([row[i] for row in rows]) for i in range(len(rows[0]))]
    return [_signatory([line[0] for line in g]) for g in groups if len(g) >= 2]


def _signatory(cells) -> ParsedSignatory:
    def cell(i):
        if i >= len(cells):
            return Field(None)
        value, start = cells[i]
        value = value.rstrip(".")
        return Field(value, cells[i][0], (start, start + len(cells[i][0])), (start, start + len(value)))

    return ParsedSignatory(cell(0), cell(1), cell(2))


def _signatories_in_sentence(match: re.Match) -> list[ParsedSignatory]:
    people, base = match.group(3), match.start(3)
    result = []
    for part in re.finditer(r"[^,]+,[^,]+?(?=\s+och\s+[A-ZÅÄÖ]|$)", people):
        name, _, rest = part.group(0).strip(" och").partition(",")
        title, _, organisation = rest.strip().partition(" i ")
        s = base + part.start()
        span = (s, s + len(part.group(0)))
        result.append(
            ParsedSignatory(
                Field(name.strip(), part.group(0), span, span),
                Field(title.strip(), part.group(0), span, span),
                Field(organisation.strip() or None, part.group(0), span, span),
            )
        )
    return result


_PARTNER_RE = re.compile(r"\b([A-ZÅÄÖ][a-zåäö]+(?:bostäder|fastigheter|hem))\b")


def find_partners(text: str) -> tuple[str, ...]:
    """Named partners such as housing companies ("Tranemobostäder")."""
    return tuple(dict.fromkeys(m.group(1) for m in _PARTNER_RE.finditer(text)))


# --- prose fallback -------------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_PROSE_PROMISE = re.compile(r"\b(ska|lovar att)\s+(?:\w+\s+){0,5}?(arbeta|verka|jobba)\s+för\s+att\b", re.I)
_NARRATIVE_ACTIVITY = re.compile(r"(?<!som )\bkommer (?:att )?(?:det )?ske\b", re.I)


def _prose_structure(text: str, reader: _Reader) -> None:
    """For texts without lists: promise sentences and narrative activity sentences."""
    promise = None
    seen: list[set[str]] = []
    reader.promises = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0).strip()
        start = match.start() + match.group(0).index(sentence) if sentence else match.start()
        if not sentence or sentence.startswith("–"):
            continue
        parties = {p for p, _ in _parties_in(sentence, reader.context.partners)}
        if _PROSE_PROMISE.search(sentence) and {POLICE, MUNICIPALITY} <= parties:
            words = set(re.findall(r"\w+", sentence.lower()))
            if any(len(words & other) >= 0.8 * len(words | other) for other in seen):
                continue  # the same promise said again (a memo repeats its summary)
            seen.append(words)
            span = (start, start + len(sentence))
            promise = ParsedPromise(Field(promise_title(sentence), sentence, span, span))
            reader.promises.append(promise)
        elif _NARRATIVE_ACTIVITY.search(sentence):
            block = Block("item", sentence, start, start + len(sentence))
            reader.items.append((promise or reader.loose, block, ("mentioned",), ()))


# --- entry point --------------------------------------------------------------------------------------


def parse_text(text: str) -> ParsedDocument:
    """Parse a promise text into a :class:`ParsedDocument`."""
    kommun = find_kommun(text)
    starts_on, ends_on = find_period(text)
    signed_on, signed_place, signatories = find_signing(text)
    if (
        re.search(r"från och med (under\s?tecknandet)", text, re.I)
        and signed_on.value
        and starts_on.value
        and starts_on.value < signed_on.value <= ends_on.value
    ):
        starts_on = Field(signed_on.value, signed_on.sentence, signed_on.sentence_span, signed_on.span)
    context = ActivityContext(
        period_start=starts_on.value,
        period_end=ends_on.value,
        partners=find_partners(text),
        yearly=bool(re.search(r"\bårliga\s+medborgarlöften\b", text, re.I)),
    )
    reader = _Reader(context)
    for block in read_blocks(text):
        reader.feed(block)
    promises = reader.finish()
    if not promises and not reader.items:
        _prose_structure(text, reader)
        promises = list(reader.promises)
    _attach_activities(reader, promises)
    if reader.loose.activities and reader.loose not in promises:
        promises.append(reader.loose)
    return ParsedDocument(text, kommun, starts_on, ends_on, promises, signatories, signed_on, signed_place)


def _attach_activities(reader: _Reader, promises: list[ParsedPromise]) -> None:
    for promise, block, owners, lead in reader.items:
        mentioned = owners == ("mentioned",)
        context = reader.context
        if not mentioned:
            context = ActivityContext(
                context.period_start, context.period_end, owners, context.partners, context.yearly, lead
            )
        targets = analyse(block.text, block.start, context)
        if mentioned:
            named = order_owners(p for p, _ in _parties_in(block.text, context.partners))
            if named:
                targets.owners.value = named
        activity = ParsedActivity(block.text, (block.start, block.end), targets)
        promise.activities.append(activity)
        if promise is not reader.loose and promise not in promises:
            promises.append(promise)
