"""Printable forms 01–06, versioned by the rules in force when the dossier was handled.

Before 2025-07-01 the forms of Thông tư 01/2018/TT-VPCP (guiding Nghị định 61/2018/NĐ-CP);
from 2025-07-01 — the day Nghị định 118/2025/NĐ-CP took effect and replaced Nghị định
61/2018 — the forms of Thông tư 03/2025/TT-VPCP (form 04 becomes "apology and request to
extend")."""
import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dossiers import selectors
from dossiers.views import qr_context

RULES = [
    # (in force from, key, legal basis printed on the form)
    (datetime.date(2018, 12, 21), "tt01-2018", "Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ"),
    (datetime.date(2025, 7, 1), "tt03-2025", "Thông tư số 03/2025/TT-VPCP của Văn phòng Chính phủ (Nghị định số 118/2025/NĐ-CP)"),
]
FORMS = {
    "receipt": ("01", "dossiers/print/receipt.html"),
    "supplement": ("02", "dossiers/print/supplement.html"),
    "rejection": ("03", "dossiers/print/rejection.html"),
    "apology": ("04", "dossiers/print/apology.html"),
    "control": ("05", "dossiers/print/control.html"),
}


def rules_on(day: datetime.date) -> dict:
    chosen = RULES[0]
    for rule in RULES:
        if day >= rule[0]:
            chosen = rule
    return {"key": chosen[1], "basis": chosen[2], "since": chosen[0]}


def _event(events, action):
    return next((e for e in reversed(events) if e.action == action), None)


@login_required
def print_form(request, code, form):
    if form not in FORMS:
        raise Http404
    dossier = selectors.dossier_detail(user=request.user, code=code)
    events = list(selectors.events_of(dossier=dossier))
    apology = selectors.apology_of(dossier=dossier)
    number, template = FORMS[form]
    # The date the form is about decides the rules it prints under.
    subject = {
        "receipt": None, "supplement": _event(events, "request_supplement"),
        "rejection": _event(events, "reject"), "apology": apology, "control": None,
    }[form]
    if form in ("supplement", "rejection", "apology") and subject is None:
        raise Http404
    when = getattr(subject, "at", None) or getattr(subject, "issued_at", None) or dossier.received_at
    context = {
        "dossier": dossier, "events": events, "apology": apology, "subject": subject, "number": number,
        "rules": rules_on(timezone.localdate(when)), "unit": dossier.unit, "today": timezone.localdate(),
        **(qr_context(dossier) if form == "receipt" else {}),
    }
    return render(request, template, context)
