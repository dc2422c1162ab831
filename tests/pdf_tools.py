"""Reading our PDFs back in tests: their text page by page, their metadata and tagging."""

import io
import re
import subprocess

import pdfplumber
from pdfminer.pdftypes import resolve1


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, as pdftotext (poppler) extracts it in reading order."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    pages = result.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def normalised(text: str) -> str:
    """Whitespace (line breaks included) collapsed, so a wrapped sentence can be searched."""
    return re.sub(r"\s+", " ", text).strip()


def page_numbers(pages: list[str]) -> list[str]:
    """The "n (N)" page numbers found on each page, in page order."""
    return [" ".join(re.findall(r"^\s*(\d+ \(\d+\))\s*$", page, flags=re.M)) for page in pages]


def pdf_facts(pdf: bytes) -> dict:
    """The document info (title, author), the catalog's language and whether it is tagged."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        catalog = document.doc.catalog
        mark_info = resolve1(catalog.get("MarkInfo")) or {}
        lang = resolve1(catalog.get("Lang"))
        info = document.metadata
        fonts = {
            char["fontname"].split("+", 1)[-1] for page in document.pages for char in page.chars
        }
        figures = _figure_alts(resolve1(catalog.get("StructTreeRoot")))
    return {
        "title": info.get("Title"),
        "author": info.get("Author"),
        "lang": lang.decode() if isinstance(lang, bytes) else lang,
        "marked": resolve1(mark_info.get("Marked")) is True,
        "has_structure": catalog.get("StructTreeRoot") is not None,
        "fonts": fonts,
        "figure_alts": figures,
    }


def _figure_alts(root, depth=0) -> list[str]:
    """Alternative texts of the Figure elements in the structure tree."""
    if root is None or depth > 40:
        return []
    node = resolve1(root)
    alts = []
    if isinstance(node, list):
        for child in node:
            alts += _figure_alts(child, depth + 1)
        return alts
    if not isinstance(node, dict):
        return []
    tag = resolve1(node.get("S"))
    if tag is not None and getattr(tag, "name", None) == "Figure" and node.get("Alt"):
        alt = resolve1(node["Alt"])
        alts.append(alt.decode("utf-16") if alt[:2] == b"\xfe\xff" else alt.decode("latin-1"))
    kids = node.get("K")
    if kids is not None:
        alts += _figure_alts(kids, depth + 1)
    return alts
