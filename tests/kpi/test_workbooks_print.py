"""Workbooks that print: the KPI report converted to PDF by LibreOffice (as an office
clerk would print it) has few pages, and the first page of each sheet holds its whole
header row — not the column of machine keys alone."""
import datetime
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from kpi.services import plan_create
from tests.conftest import require
from tests.factories import PrincipalFactory, ProcedureFactory, feedback_for_test, field, finish_dossier_for_test, receive_dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")
INDICATOR_HEADER = ["Tên chỉ tiêu", "Mã chỉ tiêu", "Chỉ tiêu (%)", "Kết quả (%)", "Tử số", "Mẫu số", "Đạt", "Lĩnh vực"]


def to_pdf(xlsx: bytes) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    require(soffice is not None, "needs LibreOffice Calc (apt-get install libreoffice-calc)")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.xlsx"
        source.write_bytes(xlsx)
        profile = Path(tmp) / "profile"
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp,
             str(source)],
            check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": tmp},
        )
        return (Path(tmp) / "report.pdf").read_bytes()


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.django_db
def test_the_kpi_workbook_prints_on_few_pages_with_whole_header_rows(client):
    principal = PrincipalFactory()
    unit = principal.unit
    plan_create(unit=unit, year=2026)
    procedure = ProcedureFactory(unit=unit, field=field("tuyen-sinh"), name="Tiếp nhận trẻ mầm non vào học")
    for i in range(150):
        received = datetime.datetime(2026, 3, 2 + i % 20, 8, tzinfo=VN)
        dossier = receive_dossier(procedure=procedure, received_at=received, applicant_name=f"Nguyễn Văn An {i}",
                                  applicant_address="12 Lê Lợi, phường Bến Thành")
        if i % 3:
            finish_dossier_for_test(dossier, completed_at=received + datetime.timedelta(days=2), timeliness="early")
    for i in range(10):
        feedback_for_test(unit=unit, received_at=datetime.datetime(2026, 3, 5 + i, 9, tzinfo=VN))
    client.force_login(principal)
    response = client.get("/reports/kpi.xlsx", {"unit": unit.slug, "from": "2026-03-01", "to": "2026-03-31"})
    pdf = to_pdf(b"".join(response.streaming_content))
    artifacts = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "kpi-workbook.pdf").write_bytes(pdf)  # for a person to look at
    pages = page_texts(pdf)
    # indicators (1), 150 register rows (a few pages), surveys (1), feedback (1): never dozens
    assert 5 <= len(pages) <= 14, len(pages)
    first = pages[0]
    assert "Kết quả thực hiện chỉ tiêu cải cách hành chính" in first and unit.name in first
    for label in INDICATOR_HEADER:
        assert label in first, label
    assert first.index("Tên chỉ tiêu") < first.index("Mã chỉ tiêu")
    register = next(i for i, text in enumerate(pages) if "Sổ theo dõi hồ sơ" in text and "Số thứ tự" in text)
    for label in ("Số thứ tự", "Mã hồ sơ", "Nhận hồ sơ", "Hẹn trả kết quả", "Ghi chú", "Lĩnh vực", "Hình thức tiếp nhận"):
        assert label in pages[register], label
    # the header row repeats on the register's next page, with page numbers in the footer
    assert "Số thứ tự" in pages[register + 1] and "Nguyễn Văn An" in pages[register + 1]
    assert f"{register + 2} / {len(pages)}" in pages[register + 1] or f"{register + 2}/{len(pages)}" in pages[register + 1]
