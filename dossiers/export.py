"""The register (form 06) as an Excel workbook (openpyxl write-only: constant memory)."""
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

REGISTER_SHEET = "Sổ theo dõi hồ sơ"
REGISTER_COLUMNS = [
    "STT", "Mã hồ sơ", "Lĩnh vực", "Thủ tục hành chính", "Tên tổ chức, cá nhân", "Địa chỉ, số điện thoại",
    "Ngày, giờ nhận hồ sơ", "Ngày, giờ hẹn trả kết quả", "Ngày, giờ hoàn thành", "Ngày, giờ trả kết quả",
    "Tình trạng", "Kết quả giải quyết", "Hình thức nhận kết quả", "Ghi chú",
]


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def register_rows(queryset):
    """Form 06 rows, streamed from the database in chunks."""
    columns = (
        "code", "field__name", "procedure__name", "applicant_name", "applicant_address", "applicant_phone",
        "received_at", "due_at", "completed_at", "returned_at", "status", "timeliness", "result_delivery",
    )
    from dossiers.models import Dossier

    statuses = dict(Dossier.Status.choices)
    timeliness = dict(Dossier.Timeliness.choices)
    delivery = dict(Dossier.Delivery.choices)
    for n, row in enumerate(queryset.values_list(*columns).iterator(chunk_size=2000), start=1):
        (code, field, procedure, name, address, phone, received, due, completed, returned, status, timely, how) = row
        yield [
            n, code, field, procedure, name, ", ".join(p for p in (address, phone) if p), _local(received), _local(due),
            _local(completed), _local(returned), str(statuses.get(status, status)),
            str(timeliness[timely]) if timely else "", str(delivery.get(how, how)), "",
        ]


def write_register(workbook, queryset):
    sheet = workbook.create_sheet(REGISTER_SHEET)
    sheet.append(REGISTER_COLUMNS)
    for row in register_rows(queryset):
        sheet.append(row)
    return sheet


def register_workbook_response(queryset) -> HttpResponse:
    workbook = Workbook(write_only=True)
    write_register(workbook, queryset)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="so-theo-doi-ho-so-{timezone.localdate():%Y%m%d}.xlsx"'
    workbook.save(response)
    return response
