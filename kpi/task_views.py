"""Pages of the plan's tasks: the principal adds and edits them, staff and the principal
record progress with evidence, everyone who reads the unit reads them."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access
from kpi import services
from kpi.forms import PlanTaskForm, PlanTaskProgressForm
from kpi.models import PlanTask, PlanTaskEvidence, YearPlan
from kpi.views import serve_evidence


def _plan_url(plan) -> str:
    return f"{reverse('kpi:plan')}?unit={plan.unit.slug}&year={plan.year}#tasks"


@login_required
@require_POST
def task_add(request, plan_pk):
    plan = access.get_object_for_user(YearPlan.objects.select_related("unit"), request.user, manage=True, pk=plan_pk)
    form = PlanTaskForm(request.POST)
    if form.is_valid():
        services.plan_task_save(plan=plan, **form.cleaned_data)
        messages.success(request, _("The task was added to the plan."))
    else:
        messages.error(request, _("The task was not added; check the fields marked in red."))
        return render(request, "kpi/task.html", {"plan": plan, "form": form, "task": None, "can_manage": True})
    return redirect(_plan_url(plan))


@login_required
def task_detail(request, pk):
    """A task: the principal edits it; staff and the principal record progress."""
    task = access.scoped(PlanTask.objects.select_related("plan__unit"), request.user, "plan__unit").filter(pk=pk).first()
    if task is None:
        raise Http404
    unit = task.plan.unit
    can_manage, can_write = access.can_manage(request.user, unit), access.can_write(request.user, unit)
    form = PlanTaskForm(initial={"group": task.group, "title": task.title, "in_charge": task.in_charge, "deadline": task.deadline})
    progress = PlanTaskProgressForm(initial={"progress": task.progress, "progress_note": task.progress_note})
    if request.method == "POST":
        if request.POST.get("part") == "task":
            if not can_manage:
                raise PermissionDenied
            form = PlanTaskForm(request.POST)
            if form.is_valid():
                services.plan_task_save(plan=task.plan, task=task, **form.cleaned_data)
                messages.success(request, _("The task was saved."))
                return redirect(_plan_url(task.plan))
        elif request.POST.get("part") == "delete":
            if not can_manage:
                raise PermissionDenied
            services.plan_task_delete(task=task)
            messages.success(request, _("The task was removed from the plan."))
            return redirect(_plan_url(task.plan))
        else:
            if not can_write:
                raise PermissionDenied
            progress = PlanTaskProgressForm(request.POST, request.FILES)
            if progress.is_valid():
                data = progress.cleaned_data
                services.plan_task_progress(task=task, progress=data["progress"], note=data["progress_note"],
                                            actor=request.user, files=[data["evidence"]] if data["evidence"] else [])
                messages.success(request, _("The progress was saved."))
                return redirect(reverse("kpi:task", args=[task.pk]))
        messages.error(request, _("Nothing was saved; check the fields marked in red."))
    return render(request, "kpi/task.html", {
        "task": task, "plan": task.plan, "form": form, "progress_form": progress,
        "can_manage": can_manage, "can_write": can_write, "evidence": task.evidence.all(),
    })


@login_required
def task_evidence(request, pk):
    evidence = get_object_or_404(PlanTaskEvidence.objects.select_related("task__plan__unit"), pk=pk)
    if not access.readable_units(request.user).filter(pk=evidence.task.plan.unit_id).exists():
        raise Http404
    return serve_evidence(evidence)
