"""Staff pages: work lists, register (form 07), intake (form 01), a dossier and its
actions, the procedure catalogue. Thin: validate, call a service or selector, render."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access, registry
from core.uploads import private_upload_response
from dossiers import documents, selectors, services, signatures, submissions
from dossiers.filters import register_filterset, several_units
from dossiers.forms import DOCUMENT_KINDS, DOCUMENT_SOURCES, ActionForm, IntakeForm, ProcedureForm, RefuseForm, ResultForm
from dossiers.models import Procedure, Submission, SubmissionFile
from dossiers.qr import qr_svg, survey_url, tracking_url

PAGE_SIZE = 25


@login_required
def worklist(request):
    """The signed-in person's open dossiers, soonest due first."""
    if request.user.is_office:
        return redirect("dossiers:register")
    unit = access.unit_of_request(request)
    page = Paginator(selectors.worklist(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/worklist.html", {
        "page": page, "unit": unit, "scope": "mine",
        "counts": selectors.worklist_counts(user=request.user, unit=unit),
        "can_write": access.can_write(request.user, unit),
    })


@login_required
def unit_worklist(request):
    """Every open dossier of the unit (the principal's view)."""
    unit = access.unit_of_request(request)
    page = Paginator(selectors.worklist(user=request.user, unit=unit), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/worklist.html", {
        "page": page, "unit": unit, "scope": "unit",
        "counts": selectors.worklist_counts(user=request.user, unit=unit),
        "can_write": access.can_write(request.user, unit),
    })


@login_required
def register(request):
    """The register (form 07 of Thông tư 03/2025, form 06 before it), filterable, searchable,
    paginated, exportable."""
    from dossiers.export import register_form

    filterset = register_filterset(user=request.user, query=request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/register.html", {
        "filter": filterset, "page": page, "register_form": register_form(timezone.localdate()),
        "several_units": several_units(user=request.user, query=request.GET),
        "export_in_background": page.paginator.count > settings.KPI_EXPORT_ASYNC_ROWS,
    })


@login_required
def register_export(request):
    """The register as a workbook, with the page's filters. A register longer than
    ``KPI_EXPORT_ASYNC_ROWS`` is handed to the app that runs exports in the background
    (core.registry.large_export), whose page shows its progress and then the download."""
    from dossiers import export

    start = registry.large_export_start("register")
    if start is not None:
        rows = register_filterset(user=request.user, query=request.GET).qs.count()
        if rows > settings.KPI_EXPORT_ASYNC_ROWS:
            return redirect(start(user=request.user, query=request.GET.urlencode(), rows=rows))
    return export.register_workbook_response(user=request.user, query=request.GET)


@login_required
def intake(request):
    """Form 01 at the desk."""
    unit = access.unit_of_request(request, write=True)
    form = IntakeForm(request.POST or None, unit=unit, initial={"assigned_to": request.user if request.user.unit_id else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = services.dossier_receive(
                unit=unit, procedure=data["procedure"], applicant_name=data["applicant_name"],
                applicant_phone=data["applicant_phone"], received_at=data["received_at"], actor=request.user,
                applicant_id_number=data["applicant_id_number"], applicant_address=data["applicant_address"],
                applicant_email=data["applicant_email"], representative_name=data["representative_name"],
                request_summary=data["request_summary"], sets_count=data["sets_count"],
                result_delivery=data["result_delivery"], register_book=data["register_book"],
                register_line=data["register_line"],
                assigned_to=data["assigned_to"] or (request.user if request.user.unit_id == unit.pk else None), documents=form.documents(request.POST),
            )
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Dossier %(code)s registered. Print the receipt for the applicant.") % {"code": dossier.code})
            return redirect("dossiers:detail", code=dossier.code)
    return render(request, "dossiers/intake.html", {
        "form": form, "unit": unit, "kinds": DOCUMENT_KINDS, "sources": DOCUMENT_SOURCES,
        "checklists": _checklists(selectors.procedures_for(unit=unit), request.POST, form.data.get("procedure")),
    })


def _checklists(procedures, data, selected):
    """Each procedure's document checklist, with what was ticked (kept on errors)."""
    return [
        {
            "procedure": p, "selected": str(p.pk) == str(selected),
            "documents": [
                {"key": f"{p.pk}_{i}", "name": name, "ticked": bool(data.get(f"doc_{p.pk}_{i}")),
                 "kind": data.get(f"kind_{p.pk}_{i}", "original"), "count": data.get(f"count_{p.pk}_{i}", "1"),
                 "source": data.get(f"source_{p.pk}_{i}", "paper")}
                for i, name in enumerate(p.required_documents)
            ],
        }
        for p in procedures
    ]


@login_required
def detail(request, code):
    dossier = selectors.dossier_detail(user=request.user, code=code)
    can_write = access.can_write(request.user, dossier.unit)
    actions = services.allowed_actions(dossier=dossier) if can_write else []
    if "apologize" in actions and not access.can_manage(request.user, dossier.unit):
        actions.remove("apologize")
    events = list(selectors.events_of(dossier=dossier))
    apology = selectors.apology_of(dossier=dossier)
    notices = list(selectors.notices_to_applicant(dossier=dossier))
    return render(request, "dossiers/detail.html", {
        "dossier": dossier, "events": events, "apology": apology,
        "forms": documents.forms_of(dossier=dossier, events=events, apology=apology),
        "actions": [(a, services.action_label(action=a)) for a in actions], "form": ActionForm(),
        "can_write": can_write, "tracking_url": tracking_url(dossier), "survey_url": survey_url(dossier),
        "results": selectors.dossier_results(dossier=dossier), "result_form": ResultForm(),
        "can_issue_result": can_write and dossier.status in services.RESULT_STATUSES,
        "submission": Submission.objects.filter(dossier=dossier).first(),
        "notices": notices, "notices_failed": sum(n.status == "failed" for n in notices),
        **signatures.page_context(user=request.user, dossier=dossier),
    })


@login_required
@require_POST
def act(request, code):
    dossier = selectors.dossier_detail(user=request.user, code=code, write=True)
    form = ActionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {error}")
        return redirect("dossiers:detail", code=code)
    data = form.cleaned_data
    result = ResultForm(request.POST, request.FILES)
    if data["action"] == "complete" and not result.is_valid():
        for errors in result.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("dossiers:detail", code=code)
    try:
        with transaction.atomic():
            services.dossier_transition(
                dossier=dossier, action=data["action"], actor=request.user, at=data["at"], note=data["note"],
                reason=data["reason"], new_due_date=data["new_due_date"],
            )
            # Completing with an electronic result: both, or neither.
            if data["action"] == "complete" and result.wanted():
                services.result_issue(dossier=dossier, file_bytes=result.file_bytes(), actor=request.user,
                                      text=result.cleaned_data["result_text"])
    except services.TransitionError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for errors in error.message_dict.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": services.action_label(action=data["action"])})
    return redirect("dossiers:detail", code=code)


@login_required
def procedures(request):
    unit = access.unit_of_request(request)
    return render(request, "dossiers/procedures.html", {
        "unit": unit, "procedures": selectors.procedures_for(unit=unit, active_only=False),
        "can_manage": access.can_manage(request.user, unit),
    })


@login_required
def procedure_edit(request, pk=None):
    unit = access.unit_of_request(request, manage=True)
    procedure = access.get_object_for_user(Procedure.objects.all(), request.user, manage=True, pk=pk) if pk else None
    if procedure is not None:
        unit = procedure.unit
    form = ProcedureForm(request.POST or None, instance=procedure)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ProcedureForm.Meta.fields}
        values["required_documents"] = form.cleaned_data["required_documents"]
        try:
            services.procedure_save(unit=unit, procedure=procedure, **values)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Procedure saved."))
            return redirect("dossiers:procedures")
    return render(request, "dossiers/procedure_form.html", {"form": form, "procedure": procedure, "unit": unit})


def qr_context(dossier):
    return {"tracking_qr": qr_svg(tracking_url(dossier)), "survey_qr": qr_svg(survey_url(dossier)),
            "tracking_url": tracking_url(dossier), "survey_url": survey_url(dossier)}


@login_required
@require_POST
def issue_result(request, code):
    """A (new) electronic result of a completed dossier: KQ<n+1>, never an overwrite."""
    dossier = selectors.dossier_detail(user=request.user, code=code, write=True)
    form = ResultForm(request.POST, request.FILES)
    if form.is_valid() and form.wanted():
        try:
            document = services.result_issue(dossier=dossier, file_bytes=form.file_bytes(), actor=request.user,
                                             text=form.cleaned_data["result_text"])
        except (services.TransitionError, ValidationError) as error:
            messages.error(request, error.messages[0] if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Result %(code)s issued.") % {"code": document.code})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        if not form.errors:
            messages.error(request, _("Attach the result as a PDF file or generate it from the template."))
    return redirect("dossiers:detail", code=code)


# --- Online submissions: the unit's queue ---------------------------------------------------
@login_required
def submission_queue(request):
    unit = access.unit_of_request(request)
    wanted = request.GET.get("status", Submission.Status.NEW)
    if wanted not in Submission.Status.values and wanted != "all":
        wanted = Submission.Status.NEW
    items = selectors.submission_queue(unit=unit, status=None if wanted == "all" else wanted)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/submissions.html", {
        "unit": unit, "page": page, "status": wanted, "now": timezone.now(),
        "statuses": selectors.submission_counts(unit=unit), "can_write": access.can_write(request.user, unit),
    })


def _submission(request, reference, *, write=False):
    return access.get_object_for_user(
        Submission.objects.select_related("unit", "procedure", "dossier", "decided_by"), request.user,
        write=write, reference=reference,
    )


@login_required
def submission_detail(request, reference, *, refuse_form=None):
    submission = _submission(request, reference)
    can_write = access.can_write(request.user, submission.unit)
    return render(request, "dossiers/submission_detail.html", {
        "submission": submission, "unit": submission.unit, "files": submission.files.all(), "can_write": can_write,
        "refuse_form": refuse_form or RefuseForm(), "now": timezone.now(),
    })


@login_required
@require_POST
def submission_act(request, reference):
    submission = _submission(request, reference, write=True)
    action = request.POST.get("action")
    try:
        if action == "accept":
            submission = submissions.submission_accept(submission=submission, actor=request.user)
            messages.success(request, _("Submission accepted: dossier %(code)s registered. The receipt is ready.")
                             % {"code": submission.dossier.code})
            return redirect("dossiers:detail", code=submission.dossier.code)
        if action != "refuse":
            raise Http404
        form = RefuseForm(request.POST)
        if not form.is_valid():
            return submission_detail(request, reference, refuse_form=form)
        submissions.submission_refuse(submission=submission, reason=form.cleaned_data["reason"], actor=request.user)
        messages.success(request, _("Submission refused; the applicant sees the reason on their link."))
    except services.TransitionError as error:
        messages.error(request, str(error))
    return redirect("dossiers:submission", reference=reference)


@login_required
def submission_file(request, reference, pk):
    """An uploaded document, to the unit's staff only: never a public URL, and the office
    that reads the queue never opens a parent's papers (404, as for another unit)."""
    item = get_object_or_404(SubmissionFile.objects.select_related("submission__unit"),
                             pk=pk, submission__reference=reference)
    if access.can_write(request.user, item.submission.unit):
        return private_upload_response(item, stem=f"{reference}-{item.position}")
    raise Http404
