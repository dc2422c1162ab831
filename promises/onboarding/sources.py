"""The texts an editor is reviewing, kept in their session between the input and the review page.

Only the text, the kommun and where the text came from are kept: the parser is deterministic, so
each page parses the text again instead of storing a parsed structure anywhere. A token per text
lets two browser tabs review two texts without mixing them up.
"""

import secrets

SESSION_KEY = "onboarding_sources"
# Enough for a few tabs; older texts are dropped so the session stays small.
KEEP = 3


def remember(session, *, municipality_id: int, text: str, name: str) -> str:
    """Keep the text in the session and return its token."""
    sources = dict(session.get(SESSION_KEY, {}))
    while len(sources) >= KEEP:
        sources.pop(next(iter(sources)))
    token = secrets.token_urlsafe(12)
    sources[token] = {"municipality": municipality_id, "text": text, "name": name}
    session[SESSION_KEY] = sources
    return token


def recall(session, token: str) -> dict | None:
    """The kept text (``municipality``, ``text``, ``name``) or ``None``."""
    return session.get(SESSION_KEY, {}).get(token)


def forget(session, token: str) -> None:
    sources = dict(session.get(SESSION_KEY, {}))
    if sources.pop(token, None) is not None:
        session[SESSION_KEY] = sources
