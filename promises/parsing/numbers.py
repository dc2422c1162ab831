"""Swedish numbers in running text: digits and number words.

Handles "30", "trettio", "trettio (30)", "tjugofem", "ett hundra", "tvåhundra", "1 gång/dygn"
and the article-like "en"/"ett", which is only a number in the right company (the caller
decides; matches from "en"/"ett" carry ``is_article=True``).
"""

import re
from dataclasses import dataclass

UNITS = {
    "noll": 0,
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "tretton": 13,
    "fjorton": 14,
    "femton": 15,
    "sexton": 16,
    "sjutton": 17,
    "arton": 18,
    "aderton": 18,
    "nitton": 19,
}
TENS = {
    "tjugo": 20,
    "trettio": 30,
    "fyrtio": 40,
    "femtio": 50,
    "sextio": 60,
    "sjuttio": 70,
    "åttio": 80,
    "nittio": 90,
}
# "ett hundra" and "tvåhundra" both occur; so do "ett tusen" and "tusen".
MULTIPLIERS = {"hundra": 100, "tusen": 1000}

_WORD_RE = re.compile(r"[a-zåäöé]+", re.IGNORECASE)
_DIGITS_RE = re.compile(r"(?<![\w\-–/:.,])\d{1,4}(?![\w\-–:]|[.,]\d)")
# "trettio (30)": the digits in brackets repeat the word.
_BRACKET_RE = re.compile(r"\s*\((\d{1,4})\)")


@dataclass(frozen=True)
class NumberMatch:
    """A number found in a text: its value and the character span of the words it came from."""

    value: int
    start: int
    end: int
    is_article: bool = False


def word_value(word: str) -> int | None:
    """The value of one Swedish number word, compounds included ("tjugofem", "tvåhundra")."""
    word = word.lower()
    if word in UNITS:
        return UNITS[word]
    if word in TENS:
        return TENS[word]
    if word in MULTIPLIERS:
        return MULTIPLIERS[word]
    for name, multiplier in MULTIPLIERS.items():
        head, sep, rest = word.partition(name)
        factor = 1 if head == "" else UNITS.get(head, 0)
        if sep and factor > 0:
            tail = word_value(rest) if rest else 0
            if tail is not None:
                return factor * multiplier + tail
    for name, tens in TENS.items():
        if word.startswith(name) and word[len(name) :] in UNITS:
            unit = UNITS[word[len(name) :]]
            if unit > 0:
                return tens + unit
    return None


def _word_tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def _join_words(tokens, index) -> tuple[int, int, int, bool] | None:
    """Read a number word at tokens[index], joining "ett hundra" and "två hundra fem"."""
    word, start, end = tokens[index]
    value = word_value(word)
    if value is None:
        return None
    used = 1
    is_article = word.lower() in ("en", "ett")
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    if nxt and nxt[0].lower() in MULTIPLIERS and nxt[1] - end <= 1 and value < 10:
        value *= MULTIPLIERS[nxt[0].lower()]
        end = nxt[2]
        used = 2
        is_article = False
        rest = tokens[index + 2] if index + 2 < len(tokens) else None
        if rest and rest[1] - end <= 1:
            tail = word_value(rest[0])
            if tail is not None and tail < 100 and rest[0].lower() not in ("en", "ett"):
                value += tail
                end = rest[2]
                used = 3
    return value, end, used, is_article


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number in ``text``, in order; "trettio (30)" is one match spanning both."""
    found: list[NumberMatch] = []
    tokens = _word_tokens(text)
    index = 0
    while index < len(tokens):
        joined = _join_words(tokens, index)
        if joined is None:
            index += 1
            continue
        value, end, used, is_article = joined
        start = tokens[index][1]
        bracket = _BRACKET_RE.match(text, end)
        if bracket and int(bracket.group(1)) == value:
            end = bracket.end()
        found.append(NumberMatch(value, start, end, is_article))
        index += used
    for match in _DIGITS_RE.finditer(text):
        if any(m.start <= match.start() < m.end for m in found):
            continue
        found.append(NumberMatch(int(match.group()), match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


def parse_number(text: str) -> int | None:
    """The value of a text that is just a number ("trettio (30)", "ett hundra", "200")."""
    matches = find_numbers(text.strip())
    if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(text.strip()):
        return matches[0].value
    return None
