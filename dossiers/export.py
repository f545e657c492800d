"""The register of dossiers (sổ theo dõi hồ sơ) as a workbook sheet: the ONE writer, used
by the register download and by the KPI report (``kpi.excel``).

Columns follow the register form — form 06 of Thông tư 01/2018/TT-VPCP, form 07 of
Thông tư 03/2025/TT-VPCP from the day it applies (``dossiers.legal``; see
docs/legal/forms.md) — with the field and the channel (at the desk, online, by post)
beside them. The first column is the line of the register, the number printed on the
receipt. Rows stream from the database in chunks into openpyxl's write-only sheet."""
import time
from collections.abc import Callable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from core.xlsx import DATE, XLSX, PrintableSheet, title_block

REGISTER_SHEET = "Sổ theo dõi hồ sơ"
CHUNK = 2000
PROGRESS_SECONDS = 1.0

# (label, width): the columns of the register form, then the portal's own two.
COLUMNS = [
    (gettext_lazy("Line no."), 6),
    (gettext_lazy("Dossier code"), 24),
    (gettext_lazy("Administrative procedure"), 26),
    (gettext_lazy("Number of sets"), 6),
    (gettext_lazy("Name of the person or organisation"), 18),
    (gettext_lazy("Address, phone number"), 22),
    (gettext_lazy("Handling body"), 14),
    (gettext_lazy("Dossier received"), 11),
    (gettext_lazy("Result promised"), 11),
    (gettext_lazy("Dossier sent to the handling body"), 9),
    (gettext_lazy("Result received from the handling body"), 11),
    (gettext_lazy("Result returned to the person or organisation"), 11),
    (gettext_lazy("Signature on receipt"), 7),
    (gettext_lazy("Notes"), 22),
    (gettext_lazy("Field"), 14),
    (gettext_lazy("Channel"), 12),
]
# The form's columns are dates ("Ngày, tháng, năm"); the dossier page keeps the times.
DATE_COLUMNS = (7, 8, 9, 10, 11)


def register_form(day) -> str:
    """The register form in force on ``day`` (``dossiers.legal``): "form 07, Thông tư 03/2025/TT-VPCP"."""
    from dossiers.legal import form_for

    spec = form_for("register", day)
    return _("form %(number)s, %(basis)s") % {"number": spec.number, "basis": spec.basis.short}


def register_rows(queryset, *, now=None, unit_column: bool = False):
    """One list per dossier, in the columns above (plus the unit's name when asked), read
    lazily: one query of the needed columns through a server-side cursor, ``CHUNK`` rows at
    a time, so a million-row register never sits in memory. Times stay aware (the sheet
    writes them in local time)."""
    from dossiers.models import Dossier

    now = now or timezone.now()
    # Labels translated once, not once a row; the note of each combination built once.
    statuses = {k: str(v) for k, v in Dossier.Status.choices}
    timeliness = {k: str(v) for k, v in Dossier.Timeliness.choices}
    delivery = {k: str(v) for k, v in Dossier.Delivery.choices}
    channels = {k: str(v) for k, v in Dossier.Channel.choices}
    overdue = _("overdue")
    running = frozenset(Dossier.CLOCK_RUNNING_STATUSES)
    notes = {}

    def note_for(key):
        status, timely, late, how = key
        note = statuses.get(status, status)
        if timely:
            note = f"{note} – {timeliness[timely]}"
        elif late:
            note = f"{note} – {overdue}"
        if how is not None:
            note = f"{note}; {delivery.get(how, how)}"
        notes[key] = note
        return note

    columns = (
        "register_line", "code", "procedure__name", "sets_count", "applicant_name", "applicant_address",
        "applicant_phone", "unit__name", "received_at", "due_at", "completed_at", "returned_at", "status",
        "timeliness", "result_delivery", "field__name", "channel",
    )
    for row in queryset.values_list(*columns).iterator(chunk_size=CHUNK):
        (line, code, procedure, sets, name, address, phone, unit_name, received, due, completed, returned, status,
         timely, how, field, channel) = row
        # Overdue only while the clock runs (never while awaiting a supplement).
        key = (status, timely, not timely and status in running and due is not None and due < now,
               how if returned else None)
        note = notes.get(key) or note_for(key)
        values = [
            line, code, procedure, sets, name, f"{address}, {phone}" if address and phone else address or phone,
            unit_name, received, due, None, completed, returned, None, note, field, channels.get(channel, channel),
        ]
        if unit_column:
            values.append(unit_name)
        yield values


def write_register(
    workbook, queryset, *, heading: list[str] = (), unit_column: bool = False, now=None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """The register sheet of ``queryset`` (ordered by the caller) in ``workbook``; returns
    the number of rows. ``progress(rows_done)`` at the end of a chunk of ``CHUNK`` rows, at
    most once every ``PROGRESS_SECONDS`` (the export job's page polls it every second; a
    million rows must not mean five hundred writes), and once with the total at the end."""
    columns = [(str(label), width) for label, width in COLUMNS]
    if unit_column:
        columns.append((_("Unit"), 18))
    sheet = PrintableSheet(workbook, REGISTER_SHEET, columns, title_block=heading)
    sheet.formats(**{str(i): DATE for i in DATE_COLUMNS})
    append = sheet.append
    done = reported = 0
    reported_at = None
    for done, values in enumerate(register_rows(queryset, now=now, unit_column=unit_column), start=1):
        append(values)
        if progress and done % CHUNK == 0 and (reported_at is None or time.monotonic() - reported_at >= PROGRESS_SECONDS):
            progress(done)
            reported, reported_at = done, time.monotonic()
    if progress and done != reported:
        progress(done)
    sheet.close()
    return done


def register_heading(*, unit_name: str, period: str, day=None) -> list[str]:
    day = day or timezone.localdate()
    title = _("Register of dossiers (%(form)s)") % {"form": register_form(day)}
    return title_block(title, unit=unit_name, period=period)


def register_selection(*, user, query) -> tuple:
    """What the register download of ``query`` (the register page's filters, a QueryDict)
    lists for ``user``: (dossiers in the order of the register, the unit named in the
    heading, the period named in the heading). Raises Http404 for a unit the user may not
    read, as the page does."""
    from core import access
    from dossiers.filters import register_filterset, several_units

    filterset = register_filterset(user=user, query=query)
    slug = query.get("unit")
    unit = access.get_unit_for_user(user, slug) if slug else access.default_unit(user)
    unit_name = _("every unit you read") if several_units(user=user, query=query) or unit is None else unit.name
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.form.is_valid() else {}
    start = data.get("received_from") or data.get("period_from") or data.get("completed_from")
    end = data.get("received_to") or data.get("period_to") or data.get("completed_to")
    period = (f"{start:%d/%m/%Y} – {end:%d/%m/%Y}" if start and end
              else f"{start:%d/%m/%Y} –" if start else f"– {end:%d/%m/%Y}" if end else _("every dossier of the filter"))
    return filterset.qs.order_by("received_at", "id"), unit_name, period


def register_filename(day=None) -> str:
    return f"so-theo-doi-ho-so-{day or timezone.localdate():%Y%m%d}.xlsx"


def write_register_file(destination, *, user, query, progress: Callable[[int], None] | None = None) -> str:
    """The register download of ``query`` for ``user`` (``register_selection``) saved to
    ``destination`` (a file or a response); its file name. The page writes it at once, the
    KPI app's export job when it is long (``KPI_EXPORT_ASYNC_ROWS``, docs/interfaces.md)."""
    queryset, unit_name, period = register_selection(user=user, query=query)
    workbook = Workbook(write_only=True)
    write_register(workbook, queryset, heading=register_heading(unit_name=unit_name, period=period), progress=progress)
    workbook.save(destination)
    return register_filename()


def register_workbook_response(*, user, query) -> HttpResponse:
    response = HttpResponse(content_type=XLSX)
    name = write_register_file(response, user=user, query=query)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
