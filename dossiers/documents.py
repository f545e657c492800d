"""The forms of a dossier as real PDF files (WeasyPrint), and their issued versions.

Which forms a dossier has, and under which legal basis, comes from its events: the date
of each event picks the form set (``dossiers.legal``), never the date of printing. The
same templates (``templates/dossiers/print/``) give the HTML preview and the PDF; the
presentation follows Nghị định 30/2020/NĐ-CP (docs/legal/documents.md): A4, parent body
over the unit, the national motto, "Số: …", place and date, signature blocks ("KT." when a
deputy signs).

``render_form_pdf`` and ``issue_document`` are the interface the signing code builds on.
"""
from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from core import workdays
from dossiers import legal, selectors
from dossiers.models import Document, Dossier, DossierEvent, Procedure
from dossiers.qr import qr_svg, survey_url, tracking_url
from dossiers.services import action_label, timeliness_of

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "forms.css"
TEMPLATES = {kind: f"dossiers/print/{kind}.html" for kind in
             ("receipt", "supplement", "rejection", "apology", "stop", "control")}
# The event whose date a form carries (the apology's is its letter's, the control sheet's its last step's).
SUBJECT_ACTIONS = {"supplement": "request_supplement", "rejection": "reject", "stop": "stop"}


@dataclass(frozen=True)
class DossierForm:
    """One form a dossier has: its number and title under the basis of its event."""

    spec: legal.FormSpec
    at: datetime.datetime
    subject: object = None  # the DossierEvent or Apology the form is about

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def number(self) -> str:
        return self.spec.number

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def legal_basis(self) -> str:
        return self.spec.basis.key

    def code(self, dossier: Dossier) -> str:
        return f"{dossier.code}-{self.number}"


def _last(events, action):
    return next((e for e in reversed(events) if e.action == action), None)


def forms_of(*, dossier: Dossier, events=None, apology=None) -> list[DossierForm]:
    """The forms the dossier's events have given it, in form-number order: 01 and the
    control sheet always, 02 after a supplement request, 03 after a rejection, 04 with an
    apology, 05 after a stop."""
    events = list(selectors.events_of(dossier=dossier)) if events is None else events
    apology = selectors.apology_of(dossier=dossier) if apology is None else apology
    day = timezone.localdate
    forms = [DossierForm(legal.form_for("receipt", day(dossier.received_at)), dossier.received_at)]
    for kind, action in SUBJECT_ACTIONS.items():
        event = _last(events, action)
        if event is not None:
            forms.append(DossierForm(legal.form_for(kind, day(event.at)), event.at, event))
    if apology:
        forms.append(DossierForm(legal.form_for("apology", day(apology.issued_at)), apology.issued_at, apology))
    steps = [e for e in events if e.action not in DossierEvent.ENGINE_ACTIONS]
    last_at = steps[-1].at if steps else dossier.received_at
    control_day = day(last_at)
    stop = next((f for f in forms if f.kind == "stop"), None)
    if stop is not None:  # the sheet goes with the stop notice's set of forms
        control_day = max(control_day, stop.spec.basis.since)
    forms.append(DossierForm(legal.form_for("control", control_day), last_at))
    return sorted(forms, key=lambda f: f.number)


def form_of(*, dossier: Dossier, form: str, **loaded) -> DossierForm:
    """The dossier's form by number ("01".."07") or kind ("receipt"…); KeyError if the
    dossier has no such form (yet)."""
    for candidate in forms_of(dossier=dossier, **loaded):
        if form in (candidate.number, candidate.kind):
            return candidate
    raise KeyError(form)


# --- presentation (Nghị định 30/2020/NĐ-CP) ---------------------------------------------

def date_line(day: datetime.date) -> str:
    """"ngày 05 tháng 02 năm 2026": a zero before days under 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def head_signature(*, unit, user) -> dict:
    """The signature block of a document the head of the unit signs: "KT. HIỆU TRƯỞNG /
    PHÓ HIỆU TRƯỞNG" when a deputy signs on the head's behalf."""
    head = (unit.head_title or "Hiệu trưởng").upper()
    if user is not None and user.is_deputy_head:
        deputy = (user.job_title or f"Phó {unit.head_title or 'Hiệu trưởng'}").upper()
        return {"lines": [f"KT. {head}", deputy], "name": user.get_full_name(), "stamp": True}
    if user is not None and user.is_principal:
        return {"lines": [head], "name": user.get_full_name() or unit.head_name, "stamp": True}
    return {"lines": [head], "name": unit.head_name, "stamp": True}


def desk_signature(*, user) -> dict:
    return {"lines": ["NGƯỜI TIẾP NHẬN HỒ SƠ"], "name": user.get_full_name() if user else "", "stamp": False}


RESULT_WORDS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
APPLICANT_STEPS = {"request_supplement", "return", "reject", "withdraw", "stop", "apologize"}


def control_steps(*, dossier: Dossier, events) -> list[dict]:
    """Every step of the control sheet: the hand-over (who gave, who received), when, and
    its result against the deadline in force at that step (the due date, moved only by
    the supplement rule, as the lifecycle service moves it)."""
    pause = dossier.procedure.clock_on_supplement == Procedure.SupplementClock.PAUSE
    due = workdays.add_working_days(timezone.localdate(dossier.received_at), dossier.processing_days)
    remaining = None
    holder = dossier.applicant_name
    desk = dossier.received_by.get_full_name() if dossier.received_by else dossier.unit.name
    steps = []
    for event in events:
        if event.action in DossierEvent.ENGINE_ACTIONS:
            continue
        day = timezone.localdate(event.at)
        actor = event.actor.get_full_name() if event.actor else dossier.unit.name
        result = RESULT_WORDS[timeliness_of(completed_on=day, due_date=due)]
        if event.action == "receive":
            giver, receiver, holder = dossier.applicant_name, desk, desk
        elif event.action == "resume":
            # The applicant's step, clock stopped: no result; the new deadline starts here.
            giver, receiver, holder, result = dossier.applicant_name, actor, actor, ""
            due = workdays.add_working_days(day, remaining if pause and remaining is not None else dossier.processing_days)
            remaining = None
        elif event.action in APPLICANT_STEPS:
            giver, receiver = actor, dossier.applicant_name
            if event.action == "request_supplement" and pause:
                remaining = workdays.working_days_between(day, due) if day < due else 0
        elif event.action == "complete":
            giver, receiver, holder = actor, desk, desk
        else:  # start: the desk hands the dossier to the person handling it
            giver, receiver, holder = holder, actor, actor
        steps.append({"event": event, "label": action_label(action=event.action), "giver": giver, "receiver": receiver,
                      "due": due, "result": result})
    return steps


def _context(dossier: Dossier, item: DossierForm, *, events, apology) -> dict:
    unit = dossier.unit
    day = timezone.localdate(item.at)
    number = ""
    if item.spec.numbered:
        symbol = "-".join(part for part in (item.spec.symbol, unit.abbreviation) if part) or "……"
        # numbers under 10 take a leading zero (Nghị định 30/2020, Phụ lục I)
        number = f"{dossier.register_line:02d}/{symbol}" if dossier.register_line else f"……/{symbol}"
    subject = item.subject
    signature = desk_signature(user=getattr(subject, "actor", None) or dossier.received_by)
    if item.kind == "apology":
        signature = head_signature(unit=unit, user=subject.signed_by)
    elif item.kind == "stop":
        signature = head_signature(unit=unit, user=subject.actor)
    context = {
        "dossier": dossier, "unit": unit, "form": item, "spec": item.spec, "basis": item.spec.basis,
        "subject": subject, "events": events, "apology": apology, "event_day": day,
        "place": unit.place_name or "……", "date_line": date_line(day), "number": number,
        "signature": signature, "parent_body": unit.parent_body,
    }
    if item.kind == "receipt":
        context.update(tracking_qr=qr_svg(tracking_url(dossier)), survey_qr=qr_svg(survey_url(dossier)),
                       tracking_url=tracking_url(dossier), survey_url=survey_url(dossier))
    if item.kind == "control":
        context["steps"] = control_steps(dossier=dossier, events=events)
    return context


def render_form_html(*, dossier: Dossier, form: str, preview: bool = False) -> str:
    """The HTML of one form: the PDF's source, or (``preview``) a page with a toolbar."""
    events = list(selectors.events_of(dossier=dossier))
    apology = selectors.apology_of(dossier=dossier)
    item = form_of(dossier=dossier, form=form, events=events, apology=apology)
    context = _context(dossier, item, events=events, apology=apology)
    context["preview"] = preview
    return render_to_string(TEMPLATES[item.kind], context)


def _fetcher():
    # Fonts come from fontconfig (Debian's Liberation Serif); nothing is ever fetched
    # from the network, whatever a template might link.
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols={"file", "data"})


def render_form_pdf(*, dossier: Dossier, form: str) -> bytes:
    """One form of ``dossier`` (by number "01".."07" or kind) as PDF bytes, A4."""
    from weasyprint import CSS, HTML

    html = render_form_html(dossier=dossier, form=form)
    fetcher = _fetcher()
    document = HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET), url_fetcher=fetcher)])


# --- issued versions ---------------------------------------------------------------------

def latest_document(*, dossier: Dossier, code: str) -> Document | None:
    return Document.objects.filter(dossier=dossier, code=code).order_by("-version").first()


def form_pdf_response(*, dossier: Dossier, item) -> HttpResponse:
    """The form ``item`` of ``dossier`` as an inline PDF: the latest issued (perhaps
    signed) version when there is one, else rendered now."""
    stored = latest_document(dossier=dossier, code=item.code(dossier))
    if stored is not None:
        with stored.file.open("rb") as handle:
            content = handle.read()
    else:
        content = render_form_pdf(dossier=dossier, form=item.number)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{item.code(dossier)}.pdf"'
    return response


@transaction.atomic
def store_document(*, dossier: Dossier, form: str, title: str, legal_basis: str, content: bytes,
                   actor=None, kind: str = Document.Kind.FORM, signed: dict | None = None) -> Document:
    """Store ``content`` as the next version of the dossier's document ``form``
    (``<dossier code>-<form>``), superseding the previous one. ``signed`` holds the
    signed_* fields when the bytes carry a signature."""
    code = f"{dossier.code}-{form}"
    # Lock the dossier row: two issuers of one document number their versions in turn.
    Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
    previous = latest_document(dossier=dossier, code=code)
    version = (Document.objects.filter(code=code).aggregate(last=Max("version"))["last"] or 0) + 1
    document = Document(
        dossier=dossier, unit_id=dossier.unit_id, kind=kind, form=form, code=code, version=version, title=title,
        legal_basis=legal_basis, sha256=hashlib.sha256(content).hexdigest(), size=len(content),
        issued_by=actor, supersedes=previous, **(signed or {}),
    )
    document.file.save(f"{code}-v{version}.pdf", ContentFile(content), save=False)
    document.save()
    return document


def issue_document(*, dossier: Dossier, form: str, actor=None) -> Document:
    """Render the form and store the bytes as a new issued version."""
    item = form_of(dossier=dossier, form=form)
    content = render_form_pdf(dossier=dossier, form=item.number)
    return store_document(dossier=dossier, form=item.number, title=item.title, legal_basis=item.legal_basis,
                          content=content, actor=actor)
