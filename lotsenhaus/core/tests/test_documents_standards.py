"""Documents for the procurement file against the standards a public body is bound to (issue 18): PDF/UA-1
(tagged, language, title), DOCX in German on A4 with a real author and date and marked table header rows."""

import io
from datetime import timedelta
from typing import Any

import docx
import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from lotsenhaus.core.documents import Paragraph, Report, Section, Table, to_docx, to_pdf

REPORT = Report(
    title="Markterkundungsbericht",
    subtitle="Bedarf: Anträge prüfen",
    sections=[Section("1. Gegenstand", [Paragraph("Text"), Table(["Startup", "Status"], [["A GmbH", "Shortlist"]])])],
    footer="Version 1",
)


def _structure_types(node, found):
    node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            found.add(str(node["/S"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object"):
                _structure_types(kid, found)
    return found


def test_the_pdf_is_tagged_with_language_title_and_table_headers():
    pytest.importorskip("weasyprint")
    reader = PdfReader(io.BytesIO(to_pdf(REPORT)))
    root: Any = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "de-DE"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Markterkundungsbericht"
    assert "pdfuaid" in reader.xmp_metadata.rdf_root.toxml()  # declares PDF/UA-1
    types = _structure_types(root["/StructTreeRoot"], set())
    assert {"/Document", "/H1", "/Table", "/TH", "/TD"} <= types


def test_the_docx_is_german_a4_with_author_date_and_marked_header_rows():
    document = docx.Document(io.BytesIO(to_docx(REPORT)))
    page = document.sections[0]
    assert round(page.page_width.mm) == 210 and round(page.page_height.mm) == 297
    properties = document.core_properties
    assert properties.author == settings.LOTSENHAUS_OPERATOR["name"] and properties.language == "de-DE"
    assert timezone.now() - properties.created < timedelta(minutes=5)
    assert 'w:val="de-DE"' in document.styles.element.xml
    header_row = document.tables[0].rows[0]._tr
    assert header_row.trPr is not None and "tblHeader" in header_row.trPr.xml
    assert document.paragraphs[1].style.name.startswith("Heading") or any(
        p.style.name == "Heading 1" for p in document.paragraphs
    )
