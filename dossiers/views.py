"""Staff pages: work lists, register (form 06), intake (form 01), a dossier and its
actions, the procedure catalogue. Thin: validate, call a service or selector, render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access
from dossiers import documents, selectors, services
from dossiers.filters import RegisterFilter
from dossiers.forms import DOCUMENT_KINDS, ActionForm, IntakeForm, ProcedureForm
from dossiers.models import Procedure
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


def _register_queryset(request):
    queryset = access.narrowed_to_unit(selectors.dossier_list(user=request.user), request)
    return RegisterFilter(request.GET or None, queryset=queryset.order_by("-received_at", "-id"))


@login_required
def register(request):
    """Form 06: the register, filterable, searchable, paginated, exportable."""
    filterset = _register_queryset(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/register.html", {"filter": filterset, "page": page})


@login_required
def register_export(request):
    from dossiers.export import register_workbook_response

    return register_workbook_response(_register_queryset(request).qs)


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
        "form": form, "unit": unit, "kinds": DOCUMENT_KINDS,
        "checklists": _checklists(selectors.procedures_for(unit=unit), request.POST, form.data.get("procedure")),
    })


def _checklists(procedures, data, selected):
    """Each procedure's document checklist, with what was ticked (kept on errors)."""
    return [
        {
            "procedure": p, "selected": str(p.pk) == str(selected),
            "documents": [
                {"key": f"{p.pk}_{i}", "name": name, "ticked": bool(data.get(f"doc_{p.pk}_{i}")),
                 "kind": data.get(f"kind_{p.pk}_{i}", "original"), "count": data.get(f"count_{p.pk}_{i}", "1")}
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
    return render(request, "dossiers/detail.html", {
        "dossier": dossier, "events": events, "apology": apology,
        "forms": documents.forms_of(dossier=dossier, events=events, apology=apology),
        "actions": [(a, services.action_label(action=a)) for a in actions], "form": ActionForm(),
        "can_write": can_write, "tracking_url": tracking_url(dossier), "survey_url": survey_url(dossier),
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
    try:
        services.dossier_transition(
            dossier=dossier, action=data["action"], actor=request.user, at=data["at"], note=data["note"],
            reason=data["reason"], new_due_date=data["new_due_date"],
        )
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
