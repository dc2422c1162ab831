"""HTML to PDF with WeasyPrint: our own static files only, embedded fonts, tagged.

Drafts and previews are PDF/UA-1. What is frozen (a finalised memo with its Bilaga, a signed
medborgarlöfte) is archival PDF/A-2u, still tagged: WeasyPrint writes one variant's
identification per file (``pdf_variant`` takes a single value), so a frozen file says PDF/A in its
XMP metadata and carries the same structure tree, language and title as the PDF/UA drafts
(``pdf_tags``). README › Documents says why PDF/A wins for what is frozen.

Every document of the portal (memo, promise document, follow-up report) goes through
``write_pdf``. WeasyPrint may fetch nothing but the project's static files (the stylesheet and
the OFL font under ``static/fonts/``): the fetcher below refuses every other address, so neither a
template nor user text can make the server reach the network or read other files.
"""

import mimetypes
import threading
from functools import cache
from urllib import request
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative links in document templates resolve against this made-up origin; the fetcher maps it
# onto the static files finders. ".invalid" is reserved (RFC 2606): it never resolves.
DOCUMENT_BASE_URL = "https://dokument.invalid/"
PDF_VARIANT = "pdf/ua-1"
# PDF/A-2 rather than -3: it allows no arbitrary embedded files, so an e-archive takes it as is.
ARCHIVAL_VARIANT = "pdf/a-2u"


def _variant(archival: bool) -> str:
    return ARCHIVAL_VARIANT if archival else PDF_VARIANT


class StaticFilesOnlyFetcher(URLFetcher):
    """Serves files found by the static files finders under STATIC_URL, and nothing else."""

    def __init__(self):
        # No urllib handlers at all (and building them, SSL context included, is slow): this
        # fetcher opens no connection of any kind. Refusals are warnings, never fatal.
        request.OpenerDirector.__init__(self)
        self._fail_on_errors = False
        self._request = None

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        base = urlsplit(DOCUMENT_BASE_URL)
        static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        path = unquote(parts.path)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not path.startswith(
            static_prefix
        ):
            raise ValueError(f"Documents may only use the project's static files, not {url!r}.")
        relative = path.removeprefix(static_prefix)
        if ".." in relative.split("/"):
            raise ValueError(f"Refusing a path outside the static files: {url!r}.")
        found = finders.find(relative)
        if not found:
            raise ValueError(f"No static file {relative!r}.")
        with open(found, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def stylesheet_url(name="css/documents.css") -> str:
    """The address of a stylesheet under the fetcher's origin."""
    return DOCUMENT_BASE_URL + settings.STATIC_URL.lstrip("/") + name


@cache
def _stylesheet():
    """documents.css with its fonts, parsed once per process: it is most of a render's setup."""
    font_config = FontConfiguration()
    css = CSS(url=stylesheet_url(), url_fetcher=StaticFilesOnlyFetcher(), font_config=font_config)
    return css, font_config


# WeasyPrint's font configuration is shared between renders; one render at a time per process.
_render_lock = threading.Lock()


def render_document(html: str, *, archival: bool = False):
    """Lay out an HTML document (a ``weasyprint.Document``), ready to join or write."""
    css, font_config = _stylesheet()
    with _render_lock:
        return HTML(
            string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=StaticFilesOnlyFetcher()
        ).render(
            stylesheets=[css],
            font_config=font_config,
            pdf_variant=_variant(archival),
            pdf_tags=True,
        )


def write_pdf(*documents, archival: bool = False) -> bytes:
    """The PDF of one or more laid-out documents, in order, as one tagged file: PDF/UA-1, or
    PDF/A-2u when ``archival``.

    The first document gives the metadata (title, author, language). Each document keeps its own
    page numbering; a memo and its Bilaga are therefore laid out as one document.
    """
    first = documents[0]
    if len(documents) > 1:
        first = first.copy([page for document in documents for page in document.pages])
    return first.write_pdf(pdf_variant=_variant(archival), pdf_tags=True)


def html_to_pdf(*htmls: str, archival: bool = False) -> bytes:
    return write_pdf(
        *(render_document(html, archival=archival) for html in htmls), archival=archival
    )
