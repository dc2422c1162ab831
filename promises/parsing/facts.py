"""Facts about the whole text: the kommun, the period, who signed, where and when, partners."""

import calendar
import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from .targets import MONTHS, Field

KOMMUNER_CSV = Path(__file__).resolve().parents[2] / "municipalities" / "data" / "kommuner.csv"
_MONTH = "|".join(MONTHS)
_CHROME = re.compile(
    r"^(sök|stäng meny|till toppen|till huvudinnehåll|sök på polisen\.se|skriv ut|dela)$", re.I
)


def _lines(text: str):
    position = 0
    for line in text.splitlines(keepends=True):
        yield line.rstrip("\r\n"), position
        position += len(line)


@dataclass
class ParsedSignatory:
    name: Field
    title: Field
    organisation: Field


# --- document-level facts ------------------------------------------------------------------------


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
    re.compile(
        r"^\s*#*\s*([A-ZÅÄÖ][\wåäö-]+(?:\s[A-ZÅÄÖ][\wåäö-]+)?)\s+[–-]\s+medborgarlöften", re.M
    ),
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
_YEAR_RANGE = re.compile(
    r"(?<![\d-])((?:19|20)\d\d)(?:\s*[-–—]\s*|\s+och\s+)((?:19|20)\d\d)(?![\d-])"
)
_YEAR = re.compile(r"(?<![\d-])((?:19|20)\d\d)(?![\d-])")
_PERIOD_LINE = re.compile(
    r"medborgarlöfte|gäller|gälla|löper|löpa|perioden|för\s+åren?|under\s+åren|lyder|valts för"
    r"|tidsperioden|^under\s|\bunder\s+(?:19|20)\d\d\b",
    re.I,
)
_SEASONS = {"våren": (1, 6), "sommaren": (6, 8), "hösten": (9, 12), "vintern": (1, 2)}


def _last_day(year: int, month: int) -> date:
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
    passes = [
        (pattern, promise_line)
        for pattern in (_YEAR_RANGE, _YEAR)
        for promise_line in (True, False)
    ]
    for pattern, promise_line in passes:
        for line, offset in _lines_with_short_next(text):
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


def _lines_with_short_next(text: str):
    """Lines, each with a short next line appended (a PDF heading wrapped before "2023-2024")."""
    lines = list(_lines(text))
    for index, (line, offset) in enumerate(lines):
        following = lines[index + 1][0].strip() if index + 1 < len(lines) else ""
        yield (f"{line} {following}" if 0 < len(following) <= 12 else line), offset


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
_NOT_PLACES = re.compile(
    r"^(uppdaterad|publicerad|senast|granskad|ändrad|sidan|artikeln|datum)", re.I
)
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
    """Name / title / organisation after the place and date, one under the other or in columns."""
    rows = []
    for line, start in _lines(text[position:]):
        content = line.strip()
        if _CHROME.match(content):
            break
        if content:
            columns = [c for c in re.split(r"\s{3,}", content) if c]
            rows.append([(c, position + start + line.index(c)) for c in columns])
    if any(len(row) > 1 for row in rows):
        # Columns: a line of names, a line of titles (…), side by side.
        width = max(len(row) for row in rows)
        rows = [row for row in rows if len(row) == width]
        return [_signatory([row[i] for row in rows]) for i in range(width)]
    people: list[list] = []
    for (cell,) in rows:
        if _looks_like_name(cell[0]) or not people:
            people.append([])
        people[-1].append(cell)
    return [
        _signatory(cells) for cells in people if len(cells) >= 2 and _looks_like_name(cells[0][0])
    ]


_TITLE_WORDS = re.compile(
    r"chef|ordförande|direktör|råd$|samordnare|polis|kommun|område|förvaltning|sekreterare"
    r"|handläggare|^tf$|^t\.f\.$",
    re.I,
)


def _looks_like_name(line: str) -> bool:
    """ "Beata Allen", "Britt-Marie Lundberg Björk": two to four capitalised words, no title."""
    words = line.split()
    return (
        2 <= len(words) <= 4
        and not line.endswith(".")
        and all(w[0].isupper() and w.replace("-", "").isalpha() for w in words)
        and not any(_TITLE_WORDS.search(w) for w in words)
    )


def _signatory(cells) -> ParsedSignatory:
    def cell(i):
        if i >= len(cells):
            return Field(None)
        value, start = cells[i]
        value = value.rstrip(".")
        return Field(
            value, cells[i][0], (start, start + len(cells[i][0])), (start, start + len(value))
        )

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
