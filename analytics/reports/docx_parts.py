"""Small python-docx helpers: page set-up, styles, bordered tables, fields.

python-docx has no API for page-number fields, paragraph borders or repeated
header rows, so those few are set through the underlying XML here, once.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Times New Roman"
HEADER_FILL = "D9E2F3"


def setup(doc) -> None:
    """A4 portrait, the margins of an office document, Times New Roman 12."""
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(2.5), Cm(1.5)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(3)
    for name, size in (("Heading 1", 13), ("Heading 2", 12)):
        st = doc.styles[name]
        st.font.name = FONT
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        rfonts = st.element.rPr.rFonts
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if rfonts.get(qn(attr)) is not None:
                del rfonts.attrib[qn(attr)]
        st.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
        st.paragraph_format.space_after = Pt(4)
        st.paragraph_format.keep_with_next = True


def para(doc_or_cell, text: str = "", *, bold: bool = False, italic: bool = False, size: float | None = None,
         align: str | None = None, space_after: float | None = None):
    p = doc_or_cell.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                       "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    return p


def bottom_rule(paragraph) -> None:
    """A horizontal line under a paragraph (the letterhead's rule)."""
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "8"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cell_text(cell, text: str, *, bold: bool = False, size: float = 10, align: str | None = None) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def table(doc, headers: Sequence[str], rows: Sequence[Sequence[Any]], widths_cm: Sequence[float] | None = None,
          *, size: float = 10, numeric_cols: Sequence[int] = (), gap: bool = True):
    """A bordered table with a shaded header row that repeats on each page.

    ``widths_cm`` go into both the grid and the cells (LibreOffice reads the
    grid, Word the cells); ``gap`` adds a little space after the table.
    """
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, h in zip(t.rows[0].cells, headers, strict=True):
        _cell_text(cell, h, bold=True, size=size, align="center")
        _shade(cell, HEADER_FILL)
    _repeat_header(t.rows[0])
    for row in rows:
        cells = t.add_row().cells
        for j, (cell, v) in enumerate(zip(cells, row, strict=True)):
            _cell_text(cell, "" if v is None else str(v), size=size, align="right" if j in numeric_cols else None)
    if widths_cm:
        _widths(t, widths_cm)
    if gap:
        spacer = doc.add_paragraph()
        spacer.paragraph_format.space_after = Pt(0)
        spacer.paragraph_format.line_spacing = Pt(8)
    return t


def _widths(t, widths_cm: Sequence[float]) -> None:
    t.autofit = False
    for col, w in zip(t.columns, widths_cm, strict=True):
        col.width = Cm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)


def plain_table(doc, rows: Sequence[Sequence[str]], widths_cm: Sequence[float], size: float = 12):
    """A table without borders, to line up a signature block; kept on one page."""
    t = doc.add_table(rows=0, cols=len(widths_cm))
    for row in rows:
        cells = t.add_row().cells
        for cell, v in zip(cells, row, strict=True):
            small = v.startswith("(")
            _cell_text(cell, v, size=8 if small else size, align="center" if small else None)
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    _widths(t, widths_cm)
    return t


def page_number_footer(doc, prefix: str) -> None:
    """«<prefix> — стр. N из M» centred in the footer."""
    doc.styles["Footer"].font.size = Pt(9)
    doc.styles["Footer"].font.name = FONT
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(f"{prefix} — стр. ")
    run.font.size = Pt(9)
    _field(p, "PAGE")
    run = p.add_run(" из ")
    run.font.size = Pt(9)
    _field(p, "NUMPAGES")


def _field(paragraph, code: str) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(9)
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == code:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {code} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
