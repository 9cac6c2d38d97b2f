"""Documents for the procurement file: one structure, rendered to DOCX (python-docx) and PDF (WeasyPrint).

Domain apps build a ``Report`` from their data; this module knows nothing about needs or pilots. Both
renderers share the structure, so the DOCX and the PDF of one version always say the same.
"""

from __future__ import annotations

import functools
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import ApplicationError


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class Bullets:
    items: list[str]
    kind: ClassVar[str] = "bullets"


@dataclass(frozen=True)
class Facts:
    """Label–value pairs, e.g. the need's period and author."""

    items: list[tuple[str, str]]
    kind: ClassVar[str] = "facts"


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""
    kind: ClassVar[str] = "table"


Block = Paragraph | Bullets | Facts | Table


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section]
    footer: str
    landscape: bool = False
    # Written into the files' metadata (issue 18): the unit as author, German as the document language.
    author: str = ""
    language: str = "de-DE"


# Control characters (other than tab and line breaks) are not allowed in XML; people paste them from other
# programs, and a document must not fail because of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _safe(text: str) -> str:
    return _CONTROL.sub("", text)


def _cleaned(report: Report) -> Report:
    def block(b: Block) -> Block:
        if isinstance(b, Paragraph):
            return Paragraph(_safe(b.text))
        if isinstance(b, Bullets):
            return Bullets([_safe(item) for item in b.items])
        if isinstance(b, Facts):
            return Facts([(_safe(k), _safe(v)) for k, v in b.items])
        return Table([_safe(h) for h in b.header], [[_safe(c) for c in row] for row in b.rows], _safe(b.caption))

    return Report(
        title=_safe(report.title),
        subtitle=_safe(report.subtitle),
        sections=[Section(_safe(s.heading), [block(b) for b in s.blocks]) for s in report.sections],
        footer=_safe(report.footer),
        landscape=report.landscape,
        author=_safe(report.author or str(settings.LOTSENHAUS_OPERATOR["name"])),
        language=report.language,
    )


def _docx_language(document: Any, language: str) -> None:
    """The document's language for spelling and screen readers: the default run properties of every style."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)


def to_docx(report: Report) -> bytes:
    """A DOCX on A4 in German, the unit as author, today's date, heading styles, marked table header rows
    (issue 18: it was US Letter, en-US, by "python-docx", created 2013)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    report = _cleaned(report)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    _docx_language(document, report.language)
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin = page.right_margin = Mm(20)
    page.top_margin, page.bottom_margin = Mm(20), Mm(22)
    if report.landscape:
        page.orientation = WD_ORIENT.LANDSCAPE
        page.page_width, page.page_height = page.page_height, page.page_width
    page.footer.paragraphs[0].text = report.footer
    now = timezone.now()
    properties = document.core_properties
    properties.title = report.title
    properties.subject = report.subtitle
    properties.author = properties.last_modified_by = report.author
    properties.language = report.language
    properties.created = properties.modified = now
    properties.revision = 1
    properties.comments = ""
    document.add_heading(report.title, level=0)
    if report.subtitle:
        document.add_paragraph(report.subtitle)
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                document.add_paragraph(block.text)
            elif isinstance(block, Bullets):
                for item in block.items:
                    document.add_paragraph(item, style="List Bullet")
            elif isinstance(block, Facts):
                _docx_table(document, [], [[label, value] for label, value in block.items])
            else:
                if block.caption:
                    document.add_paragraph(block.caption, style="Caption")
                _docx_table(document, block.header, block.rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document: object, header: list[str], rows: list[list[str]]) -> None:
    width = len(header) or (len(rows[0]) if rows else 1)
    table = document.add_table(rows=0, cols=width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    if header:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        row = table.add_row()
        # Marked as the header row: repeated on every page and read as column headers by screen readers.
        marker = OxmlElement("w:tblHeader")
        marker.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(marker)
        for cell, text in zip(row.cells, header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


@functools.cache
def _font_url(name: str) -> str | None:
    """KERN's Noto Sans as TrueType: the shipped WOFF2 would be decompressed on every PDF (about a second)."""
    source = finders.find(f"kern/fonts/noto-sans/{name}.woff2")
    if not isinstance(source, str):
        return None
    target = Path(tempfile.gettempdir()) / "lotsenhaus-fonts" / f"{name}-{Path(source).stat().st_mtime_ns}.ttf"
    if not target.exists():
        from fontTools.ttLib import TTFont

        target.parent.mkdir(parents=True, exist_ok=True)
        font = TTFont(source)
        font.flavor = None
        partial = target.with_suffix(f".{os.getpid()}.part")
        font.save(partial)
        partial.replace(target)  # atomic, so a second worker never reads half a font
    return target.as_uri()


def to_pdf(report: Report) -> bytes:
    try:
        from weasyprint import HTML
    except (OSError, ImportError) as exc:  # the system library Pango (or WeasyPrint) is missing
        raise ApplicationError(
            _(
                "PDF documents cannot be made on this server: the system library Pango is missing "
                "(apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
            ),
            code="unavailable",
        ) from exc

    html = render_to_string(
        "core/documents/report.html",
        {
            "report": _cleaned(report),
            "font_regular": _font_url("NotoSans-Regular"),
            "font_bold": _font_url("NotoSans-Bold"),
        },
    )
    # PDF/UA-1: tagged structure, document language and title shown as the window title (BITV 2.0 / EN 301 549
    # for documents a public body publishes or files; issue 18).
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def stored_file_response(document: object, fmt: str) -> FileResponse:
    """A stored version as a download; the caller has checked the person may see it."""
    stored = getattr(document, fmt, None) if fmt in CONTENT_TYPES else None
    if not stored:
        raise Http404
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1])
    response["Content-Type"] = CONTENT_TYPES[fmt]
    response["Cache-Control"] = "private, no-store"
    return response
