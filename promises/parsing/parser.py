"""The structure of a promise text: kommun, period, promises, activities, signatories.

Rule-based and deterministic. The text is read line by line into blocks (headings, list items,
paragraphs, lead-in lines ending with a colon); a small state machine decides whether list items
are promises or activities from the lead-in before them ("lovar gemensamt att arbeta för:",
"Aktiviteter", "Det ska vi åstadkomma genom följande aktiviteter:", "Polisen lovar att:") and
from topic headings ("Narkotika", "Tillgänglighet och trafik"). Texts with no lists (decision
memos, news items) fall back to sentences ("… ska verka för att …", "… kommer det ske …").
"""

import re
from dataclasses import dataclass, field

from .facts import (
    _CHROME,
    ParsedSignatory,
    _lines,
    find_kommun,
    find_partners,
    find_period,
    find_signing,
)
from .targets import (
    MUNICIPALITY,
    POLICE,
    ActivityContext,
    Field,
    Targets,
    _parties_in,
    analyse,
    order_owners,
)


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


# --- blocks --------------------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # heading, intro, item, para
    text: str
    start: int
    end: int


_ITEM_RE = re.compile(r"^\s*(?:[•\-*–·▪●]|\d{1,2}[.)])\s+(?=\S)")
_MARKUP_RE = re.compile(r"\*\*|__|^#+\s*")
_INLINE_ITEM_RE = re.compile(r"(?<=[.!?])\s+-\s+(?=[A-ZÅÄÖ])")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _MARKUP_RE.sub("", text)).strip()


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
            blocks.append(
                Block(kind, content, start + len(line) - len(line.lstrip()), start + len(line))
            )
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
    return [
        Block("item", _clean(raw[a:b]), start + a, start + b) for a, b in pieces if raw[a:b].strip()
    ]


# --- lead-ins, headings, titles ------------------------------------------------------------------

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
        return first
    return None


# --- the state machine ---------------------------------------------------------------------------


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
        title = Field(
            promise_title(block.text),
            block.text,
            (block.start, block.end),
            (block.start, block.end),
        )
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
            fresh_topic = (
                self.current and self.current.from_heading and not self._has_items(self.current)
            )
            candidate = getattr(self, "_candidate_before", None)
            if goal:
                title = Field(
                    promise_title(goal),
                    text,
                    (block.start, block.end),
                    (block.start, block.start + len(goal)),
                )
                self.current = ParsedPromise(title)
                self.promises.append(self.current)
            elif fresh_topic:
                pass
            elif candidate is not None:
                span = (candidate.start, candidate.end)
                self.current = ParsedPromise(
                    Field(promise_title(candidate.text), candidate.text, span, span)
                )
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
        if self.mode == "none" and re.search(
            r"\blovar att (?:\w+ )?(arbeta|jobba|verka) för\b", block.text, re.I
        ):
            self.candidate = block
        if re.search(
            r"följande (gemensamma )?medborgarlöft|följande aktiviteter", block.text, re.I
        ):
            return self._on_intro(block)
        if self.mode == "activities" and _ACTION_SUBJECT.match(block.text):
            subject = _ACTION_SUBJECT.match(block.text).group(0)
            if _parties_in(subject, self.context.partners) and not _goal_like(block.text):
                self._add_activity(block, self.current)
        return None


def _goal_like(text: str) -> bool:
    return bool(re.search(r"\b(arbeta|jobba|verka)\s+för\b", text, re.I))


# --- prose fallback ------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_PROSE_PROMISE = re.compile(
    r"\b(ska|lovar att)\s+(?:\w+\s+){0,5}?(arbeta|verka|jobba)\s+för\s+att\b", re.I
)
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


# --- entry point ---------------------------------------------------------------------------------


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
        starts_on = Field(
            signed_on.value, signed_on.sentence, signed_on.sentence_span, signed_on.span
        )
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
    return ParsedDocument(
        text, kommun, starts_on, ends_on, promises, signatories, signed_on, signed_place
    )


def _attach_activities(reader: _Reader, promises: list[ParsedPromise]) -> None:
    for promise, block, owners, lead in reader.items:
        mentioned = owners == ("mentioned",)
        context = reader.context
        if not mentioned:
            context = ActivityContext(
                context.period_start,
                context.period_end,
                owners,
                context.partners,
                context.yearly,
                lead,
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
