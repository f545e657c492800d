"""The written report as a DOCX (python-docx) and a PDF (WeasyPrint) of the same content
(``kpi.report_content.build``): A4, Times New Roman (Liberation Serif, metric-compatible),
the margins, heading and signature block of Nghị định 30/2020/NĐ-CP."""
import io
from pathlib import Path

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"


STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "report-document.css"


def render_pdf(content: dict) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("kpi/reports/document.html", {"c": content})
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def _run(paragraph, text, *, bold=False, italic=False, size=13):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _para(container, text="", *, align=None, bold=False, italic=False, size=13, indent=True, space_after=4):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    elif indent:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_after = Pt(space_after)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _cell(cell, lines, *, align=WD_ALIGN_PARAGRAPH.CENTER, size=13):
    """``lines``: [(text, bold, italic)] into one table cell."""
    cell.paragraphs[0].text = ""
    for i, (text, bold, italic) in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, text, bold=bold, italic=italic, size=size)


def render_docx(content: dict) -> bytes:
    c = content
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height, section.orientation = Mm(210), Mm(297), WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)

    heading = document.add_table(rows=2, cols=2)
    heading.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell(heading.cell(0, 0), [(c["parent_body"], False, False), (c["unit_name"], True, False), ("———", False, False)], size=12)
    _cell(heading.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
                               ("Độc lập - Tự do - Hạnh phúc", True, False), ("———", False, False)], size=12)
    _cell(heading.cell(1, 0), [(c["number_line"], False, False)])
    _cell(heading.cell(1, 1), [(c["place_date"], False, True)])

    _para(document, c["title"], align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14, space_after=0)
    _para(document, c["subtitle"], align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14, space_after=0)
    _para(document, c["period_line"], align=WD_ALIGN_PARAGRAPH.CENTER, italic=True)
    if c["replaces"]:
        _para(document, c["replaces"], align=WD_ALIGN_PARAGRAPH.CENTER, italic=True)
    _para(document, c["intro"])
    _para(document, c["part_tasks"], bold=True)
    for group in c["sections"]:
        _para(document, group["heading"], bold=True)
        for text in group["narrative"]:
            _para(document, text)
        for task in group["tasks"]:
            line = f"- {task['title']} ({task['in_charge'] or '—'}; tiến độ {task['progress']}%"
            line += f"; thời hạn {task['deadline_text']})" if task["deadline_text"] else ")"
            _para(document, line, size=12)
    _para(document, c["part_figures"], bold=True)
    _para(document, c["figures_intro"])
    _para(document, c["part_difficulties"], bold=True)
    for text in c["difficulties"]:
        _para(document, text)
    _para(document, c["part_proposals"], bold=True)
    for text in c["proposals"]:
        _para(document, text)
    _para(document, c["closing"])

    signature = document.add_table(rows=1, cols=2)
    _cell(signature.cell(0, 0), [("Nơi nhận:", True, True)] + [(r, False, False) for r in c["recipients"]],
          align=WD_ALIGN_PARAGRAPH.LEFT, size=11)
    _cell(signature.cell(0, 1), [(line, True, False) for line in c["signer"]["lines"]]
          + [("", False, False)] * 3 + [(c["signer"]["name"], True, False)])

    annex_break = document.add_paragraph()
    annex_break.add_run().add_break(WD_BREAK.PAGE)
    _para(document, c["annex_title"], align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, space_after=0)
    _para(document, c["annex_subtitle"], align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, space_after=0)
    _para(document, c["annex_attached"], align=WD_ALIGN_PARAGRAPH.CENTER, italic=True)
    table = document.add_table(rows=1, cols=len(c["annex_columns"]))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, c["annex_columns"]):
        _cell(cell, [(name, True, False)], size=11)
    for row in c["annex"]:
        cells = table.add_row().cells
        values = [str(row["n"]), row["name"], row["target_text"], row["value_text"], str(row["numerator"]),
                  str(row["denominator"]), row["met_text"]]
        for i, (cell, value) in enumerate(zip(cells, values)):
            _cell(cell, [(value, False, False)], size=11, align=WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
