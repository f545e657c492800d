"""Pages of the KPI app: the principal's dashboard, the office's comparison, the yearly
plan, the monthly figures with evidence, and the Excel report. Thin: numbers come from
``kpi.selectors``, writes from ``kpi.services``, permissions from ``core.access``."""
import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access, signed_in_frame
from core.models import Field, InVietnameseOrder
from core.replica import reads_from_replica
from kpi import dashboard_cache, links, selectors, services
from kpi.forms import MonthlyFigureForm, PeriodForm, PlanForm, PlanTaskForm, period_presets, report_period_presets
from kpi.indicators import BY_KEY, INDICATORS, MONTHLY_KEYS
from kpi.models import Evidence, MonthlyFigure, YearPlan
from kpi.scope import units_for


def _period_form(request):
    """The period picker bound to the query (an empty query is the current year)."""
    form = PeriodForm(request.GET, typed=True)
    if not form.is_valid():
        return form, None
    return form, form.cleaned_data


def _status(row) -> str:
    if row["met"] is None:
        return "none"
    return "met" if row["met"] else "missed"


@login_required
@reads_from_replica
def dashboard(request):
    """The principal's cards and charts; an office account without ``unit`` gets the
    units side by side."""
    form, data = _period_form(request)
    if data is None:
        messages.error(request, _("The period is not valid: %(errors)s") % {
            "errors": "; ".join(m for ms in form.api_errors().values() for m in ms)})
        form = PeriodForm({})
        form.is_valid()
        data = form.cleaned_data
    units, unit = units_for(request.user, data["unit"])
    period = data["period"]
    context = {
        "form": form, "period": period, "unit": unit,
        "query": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "is_office_view": unit is None,
        "is_office_drill": request.user.is_office or request.user.is_administrator,
    }
    if unit is None:
        return _office(request, units, period, context)
    return _unit_dashboard(request, units, unit, period, context)


def _unit_dashboard(request, units, unit, period, context):
    """The unit's page: its body from the cache when current (kpi/dashboard_cache.py), the
    navbar and messages around it rendered for this request."""
    user = request.user
    viewer = dashboard_cache.Viewer(
        drill=context["is_office_drill"], office_id=user.office_id if user.is_office else None,
        can_manage=access.can_manage(user, unit), can_write=access.can_write(user, unit))
    body = dashboard_cache.body(
        unit=unit, units=units, period=period, language=get_language() or settings.LANGUAGE_CODE, viewer=viewer,
        path=request.path, render=lambda now: _unit_body(request, units, unit, period, context, viewer, now))
    return signed_in_frame.render(request, "kpi/dashboard.html", {"unit_name": unit.name, "body": body})


def _unit_body(request, units, unit, period, context, viewer, now) -> str:
    """The body of the unit's page as HTML; everything it shows depends on what
    ``dashboard_cache`` keys it by (unit, period, language, path, ``viewer``, versions)."""
    today = timezone.localdate(now)
    # The period's counts read once, by field and month, for the cards, charts and SIPAS.
    by_field_month = selectors.period_counts(units=units, period=period, now=now, by="field_month")
    counts = selectors.regroup(counts=by_field_month, part=0)
    totals = selectors.totals(counts=counts)
    rows = selectors.indicator_rows(units=units, period=period, now=now, counts=counts)
    link_unit = unit if viewer.drill else None
    for row in rows:
        row["status"] = _status(row)
        row["links"] = links.links_for(row, link_unit, period)
        row["indicator"] = BY_KEY[row["key"]]
    breakdown = totals
    series = selectors.monthly_series(units=units, period=period, now=now,
                                      counts=selectors.regroup(counts=by_field_month, part=1))
    plan = YearPlan.objects.filter(unit=unit, year=period.year).first()
    cards = [r for r in rows if r["field"] is None]
    details = {}
    for r in rows:
        if r["field"] is not None:
            r["label"] = r["name"].split(" — ", 1)[-1]
            entry = details.setdefault(r["key"], {"rows": [], "empty": []})
            (entry["rows"] if r["denominator"] else entry["empty"]).append(r)
    context = {
        "period": context["period"], "unit": unit, "query": context["query"],
        "is_office_drill": viewer.drill,
        "presets": period_presets(today), "report_presets": report_period_presets(today),
        "cards": cards,
        "details": [(str(BY_KEY[key].name), entry) for key, entry in details.items()],
        "missed": sum(1 for r in cards if r["status"] == "missed"),
        "breakdown": breakdown,
        "late_links": links.late_without_apology(link_unit, period),
        "late_apologies": selectors.late_apologies(counts=breakdown),
        "sipas": selectors.sipas_indices(units=units, period=period, counts=totals),
        "series": series,
        "series_rows": list(zip(series["labels"], *[series["series"][k] for k in series["series"]])),
        "plan": plan,
        "overdue_tasks": selectors.overdue_tasks(unit=unit, today=today),
        "can_manage": viewer.can_manage,
        "can_write": viewer.can_write,
    }
    # Only the request's path (the period picker); nothing of the person is read. Jinja2: Django's
    # engine took 8-12 ms of a computed body, Jinja2 3-6 ms (docs/decisions/dashboard-cache.md).
    return mark_safe(render_to_string(  # noqa: S308 - Jinja2 escapes what it writes
        "kpi/_dashboard_body.html", {**context, "path": request.path}, using="jinja2"))


def _picker(request, context) -> str:
    """The period picker (templates/jinja2/kpi/_period_picker.html), also on the pages of
    Django's engine: ``context`` names the period, the unit, the viewer's kind and the shortcuts."""
    names = ("period", "unit", "is_office_drill", "presets", "report_presets")
    return mark_safe(render_to_string(  # noqa: S308 - Jinja2 escapes what it writes
        "kpi/_period_picker.html", {**{n: context.get(n) for n in names}, "path": request.path}, using="jinja2"))


OFFICE_PAGE_SIZE = 50


def _office(request, units, period, context):
    keys = [i for i in INDICATORS if i.main]
    now = timezone.now()
    counts = selectors.period_counts(units=units, period=period, now=now, by="unit")
    sort, direction = request.GET.get("sort", "name"), request.GET.get("dir", "asc")
    if sort != "name" and sort not in {i.key for i in keys}:  # the columns shown, nothing else
        sort = "name"
    # A province office has a thousand schools: ordered as a whole from their counts, shown a
    # page at a time, and only the page's units built into rows.
    order = selectors.comparison_order(units=units, period=period, counts=counts,
                                       key=None if sort == "name" else sort, descending=direction == "desc")
    page = Paginator(order, OFFICE_PAGE_SIZE).get_page(request.GET.get("page"))
    by_id = {e["unit"].pk: e for e in selectors.unit_comparison(
        units=units, period=period, now=now, keys=[i.key for i in keys], counts=counts, only=list(page))}
    comparison = [by_id[pk] for pk in page if pk in by_id]  # a unit gone since it was ordered: left out
    for entry in comparison:
        entry["cells"] = [dict(entry["rows"][i.key], status=_status(entry["rows"][i.key])) for i in keys]
    total = selectors.indicator_rows(units=units, period=period, now=now, counts=counts, overall_only=True)
    context.update({"presets": period_presets(), "report_presets": report_period_presets()})
    context.update({
        "picker": _picker(request, context),
        "comparison": comparison,
        "page": page,
        "columns": keys,
        "total_cells": [dict(r, status=_status(r)) for i in keys for r in total if r["key"] == i.key],
        "sort": sort, "dir": direction,
        "missing": len(order) - selectors.units_with_all_targets(units=units, period=period),
        # The table's rows in Jinja2 (templates/jinja2/kpi/_office_rows.html); escaped there.
        "rows": mark_safe(render_to_string(  # noqa: S308
            "kpi/_office_rows.html", {"comparison": comparison, "columns": keys, "query": context["query"]},
            using="jinja2")),
    })
    return render(request, "kpi/office.html", context)


# --- yearly plan ---------------------------------------------------------------------------

def _plan_rows(plan):
    """Rows of the target form: every indicator overall, on time per field, satisfaction per area."""
    current = {(t.key, t.field_key): t.value for t in plan.targets.all()} if plan else {}
    fields = list(Field.objects.all())
    rows = []
    for indicator in INDICATORS:
        rows.append((indicator.key, "", str(indicator.name), current.get((indicator.key, ""))))
        for field in fields:
            if (indicator.breakdown == "field" and field.has_procedures) or (indicator.breakdown == "area" and field.is_survey_area):
                rows.append((indicator.key, field.key, f"{indicator.name} — {field.name}", current.get((indicator.key, field.key))))
    return rows


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@login_required
def plan(request):
    """The unit's plan for a year: read by everyone who reads the unit, edited by the principal."""
    unit = access.unit_of_request(request)
    year = _year(request)
    plan = YearPlan.objects.filter(unit=unit, year=year).prefetch_related("targets").first()
    can_manage = access.can_manage(request.user, unit)
    form = None
    if plan is not None:
        form = PlanForm(request.POST or None, rows=_plan_rows(plan), initial={"number": plan.number, "title": plan.title})
        if request.method == "POST":
            if not can_manage:
                raise PermissionDenied
            if form.is_valid():
                services.plan_update(plan=plan, number=form.cleaned_data["number"], title=form.cleaned_data["title"],
                                     targets=form.targets())
                messages.success(request, _("The plan's targets were saved."))
                return redirect(f"{reverse('kpi:plan')}?unit={unit.slug}&year={year}")
            messages.error(request, _("Some targets are not valid; nothing was saved. Check the fields marked in red."))
    elif request.method == "POST":
        raise Http404
    return render(request, "kpi/plan.html", {
        "unit": unit, "year": year, "plan": plan, "form": form, "can_manage": can_manage,
        "task_groups": selectors.plan_task_groups(plan=plan) if plan else [], "task_form": PlanTaskForm(),
        "today": timezone.localdate(),
        "has_previous": YearPlan.objects.filter(unit=unit, year=year - 1).exists(),
        "years": [year - 1, year, year + 1],
    })


@login_required
@require_POST
def plan_create(request):
    unit = access.unit_of_request(request, manage=True)
    year = _year(request)
    copy = request.POST.get("copy") == "previous"
    try:
        services.plan_create(unit=unit, year=year, copy_previous=copy)
    except (services.PlanError, IntegrityError):
        messages.error(request, _("The plan of %(year)s already exists.") % {"year": year})
    else:
        if copy:
            messages.success(request, _("The plan of %(year)s was created from last year's targets.") % {"year": year})
        else:
            messages.success(request, _("The plan of %(year)s was created with the default targets.") % {"year": year})
    return redirect(f"{reverse('kpi:plan')}?unit={unit.slug}&year={year}")


# --- monthly figures and evidence ----------------------------------------------------------

@login_required
def figures(request):
    """Figures no record measures (e-payments, e-documents, outreach), month by month."""
    unit = access.unit_of_request(request)
    year = _year(request)
    can_write = access.can_write(request.user, unit)
    today = timezone.localdate()
    form = MonthlyFigureForm(initial={"year": year, "month": today.month if year == today.year else 12})
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = MonthlyFigureForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            services.monthly_figure_save(
                unit=unit, key=data["key"], year=data["year"], month=data["month"], numerator=data["numerator"],
                denominator=data["denominator"], note=data["note"], actor=request.user,
                files=[data["evidence"]] if data["evidence"] else [],
            )
            messages.success(request, _("The figure of %(month)s/%(year)s was saved.") % {"month": data["month"], "year": data["year"]})
            return redirect(f"{reverse('kpi:figures')}?unit={unit.slug}&year={data['year']}")
        messages.error(request, _("The figure was not saved; check the fields marked in red."))
    rows = (
        MonthlyFigure.objects.filter(unit=unit, year=year)
        .select_related("entered_by")
        .prefetch_related("evidence")
        .order_by("month", "key")
    )
    items = [{"figure": f, "name": BY_KEY[f.key].name if f.key in BY_KEY else f.key,
              "value": selectors.percent(f.numerator, f.denominator)} for f in rows]
    return render(request, "kpi/figures.html", {
        "unit": unit, "year": year, "items": items, "form": form, "can_write": can_write,
        "years": [year - 1, year, year + 1], "monthly_keys": MONTHLY_KEYS,
    })


@login_required
def evidence_download(request, pk):
    """A private evidence file, for whoever reads the figure's unit."""
    evidence = get_object_or_404(Evidence.objects.select_related("figure__unit"), pk=pk)
    if not access.readable_units(request.user).filter(pk=evidence.figure.unit_id).exists():
        raise Http404
    return serve_evidence(evidence)


def serve_evidence(evidence):
    """A private evidence file (a figure's or a plan task's) as a download."""
    content_type = mimetypes.guess_type(evidence.original_name)[0] or "application/octet-stream"
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name, content_type=content_type)


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("figure__unit"), pk=pk)
    unit = access.get_unit_for_user(request.user, evidence.figure.unit.slug, write=True)
    year = evidence.figure.year
    services.evidence_delete(evidence=evidence)
    messages.success(request, _("The evidence document was removed."))
    return redirect(f"{reverse('kpi:figures')}?unit={unit.slug}&year={year}")



# --- the national scorecard (Quyết định 766/QĐ-TTg) -----------------------------------------

@login_required
def scorecard(request):
    """One unit's scorecard; an office account without ``unit`` gets its units side by side
    and the office's own total."""
    from kpi.scorecard import scorecard as compute

    form, data = _period_form(request)
    if data is None:
        form = PeriodForm({})
        form.is_valid()
        data = form.cleaned_data
    units, unit = units_for(request.user, data["unit"])
    period = data["period"]
    link_unit = unit if (request.user.is_office or request.user.is_administrator) else None
    context = {
        "form": form, "period": period, "unit": unit, "presets": period_presets(),
        "report_presets": report_period_presets(),
        "query": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "is_office_view": unit is None, "is_office_drill": request.user.is_office or request.user.is_administrator,
        "card": compute(units=units, period=period, unit=link_unit),
    }
    if unit is None:
        context.update(_units_side_by_side(request, units, period))
    context["picker"] = _picker(request, context)
    return render(request, "kpi/scorecard.html", context)


def _units_side_by_side(request, units, period) -> dict:
    """The office's units side by side on the scorecard page, fifty to a page: in name order only
    the page's units are scored; sorted by score (``?sort=score``, highest first unless
    ``dir=asc``) every unit is, equal scores keeping name order."""
    from kpi.scorecard import office_scorecards

    number = request.GET.get("page")
    if request.GET.get("sort") == "score":
        direction = "asc" if request.GET.get("dir") == "asc" else "desc"
        ranked = sorted(office_scorecards(units=units, period=period), key=lambda e: e["card"]["score"],
                        reverse=direction == "desc")
        page = Paginator(ranked, OFFICE_PAGE_SIZE).get_page(number)
        return {"page": page, "per_unit": list(page), "sort": "score", "dir": direction}
    page = Paginator(selectors.compared_units(units=units, period=period).order_by(InVietnameseOrder("name")),
                     OFFICE_PAGE_SIZE).get_page(number)
    return {"page": page, "per_unit": office_scorecards(units=units, period=period, only=[u.pk for u in page]),
            "sort": "name", "dir": "asc"}
