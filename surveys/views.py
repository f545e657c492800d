"""Survey pages: the public forms (dossier token and open per area), the posters,
and the principal's results. Views validate, call one service or selector, render."""
import datetime
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST

from core import access, public_page, workdays
from core import links as core_links
from core.models import Field, Unit
from dossiers.models import Dossier
from surveys import guard, links, selectors, services
from surveys.forms import QuestionAddForm, ResultsSliceForm, SurveyForm
from surveys.models import CORE_KEYS, Response

# --- public survey pages -------------------------------------------------------------


def _questions(questionnaire):
    return list(questionnaire.questions.all())


def _survey_page(request, *, form, unit, area, action, dossier=None, status=200, notice=None):
    return render(request, "surveys/survey_form.html", {
        "form": form, "unit": unit, "area": area, "action": action, "dossier": dossier,
        "started": guard.started_token(), "honeypot": guard.HONEYPOT_FIELD, "notice": notice,
    }, status=status)


@never_cache
def dossier_survey(request, token):
    """/survey/<token>/ — the one survey of a dossier (QR on the receipt and the result)."""
    dossier = get_object_or_404(Dossier.objects.select_related("unit", "field", "procedure"), survey_token=token)
    if dossier.survey_answered_at is not None:
        return render(request, "surveys/already.html", {"unit": dossier.unit, "reason": "dossier"})
    questionnaire = selectors.active_questionnaire(unit=dossier.unit)
    form = SurveyForm(request.POST or None, questions=_questions(questionnaire))
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit_for_dossier(dossier=dossier, questionnaire=questionnaire, answers=form.answers())
        except services.AlreadyAnswered:
            return render(request, "surveys/already.html", {"unit": dossier.unit, "reason": "dossier"})
        return redirect("surveys:dossier-thanks", token=token)
    return _survey_page(request, form=form, unit=dossier.unit, area=dossier.field, dossier=dossier,
                        action=links.dossier_survey_path(dossier))


def dossier_thanks(request, token):
    dossier = get_object_or_404(Dossier.objects.select_related("unit"), survey_token=token)
    return render(request, "surveys/thanks.html", {"unit": dossier.unit})


def _open_target(slug, area_key):
    unit = get_object_or_404(Unit, slug=slug)
    area = get_object_or_404(Field, key=area_key, is_survey_area=True)
    return unit, area


@never_cache
def open_survey(request, slug, area_key):
    """/u/<slug>/survey/<area>/ — the open survey of a service area, for parents and
    visitors without a dossier, behind the stuffing guard (surveys/guard.py)."""
    target = selectors.open_survey_target(slug=slug, area_key=area_key)
    if target is None:
        raise Http404
    unit, area, questionnaire, questions = target
    if guard.has_answered_cookie(request, unit_id=unit.pk, area_key=area.key):
        return render(request, "surveys/already.html", {"unit": unit, "area": area, "reason": "device"})
    form = SurveyForm(request.POST or None, questions=questions)

    def page(**extra):  # the form again (an answer counted goes to the thanks page instead)
        return _survey_page(request, form=form, unit=unit, area=area, action=links.open_survey_path(unit, area), **extra)

    if request.method != "POST":
        return page()
    if guard.honeypot_filled(request.POST):
        return redirect("surveys:open-thanks", slug=unit.slug, area_key=area.key)  # a bot: thanked, not counted
    if not form.is_valid():
        return page()
    if guard.too_fast(request.POST.get("started")):
        return page(notice=_("Please check your answers and press Send again."))
    if not guard.address_allows(request, unit_id=unit.pk):
        return page(status=429, notice=_(
            "Very many answers have just come from this network. Your answers are kept: "
            "please press Send again in a few minutes."
        ))
    services.response_submit_open(unit=unit, area=area, questionnaire=questionnaire, answers=form.answers())
    response = redirect("surveys:open-thanks", slug=unit.slug, area_key=area.key)
    guard.set_answered_cookie(response, unit_id=unit.pk, area_key=area.key)
    return response


def open_thanks(request, slug, area_key):
    unit, area = _open_target(slug, area_key)
    return render(request, "surveys/thanks.html", {"unit": unit, "area": area})


@cache_control(max_age=86400, public=True)
def open_survey_qr(request, slug, area_key):
    unit, area = _open_target(slug, area_key)
    url = links.open_survey_url(unit, area)
    key = f"survey-qr:v1:{hashlib.sha256(url.encode()).hexdigest()[:32]}"
    svg = public_page.cache_get(key)  # the same picture for the same link: drawn once a day
    if svg is None:
        svg = str(core_links.qr_svg(url, scale=4))
        public_page.cache_set(key, svg, 86400)
    return HttpResponse('<?xml version="1.0" encoding="utf-8"?>\n' + svg, content_type="image/svg+xml")


# --- the unit's people ------------------------------------------------------------------------


@login_required
def results(request):
    """Satisfaction per area and overall, average per factor, month by month, comments —
    for a year, or for the slice a KPI link asks for (``from``/``to``, ``area``,
    ``source``, ``satisfied``): the same responses the KPI selectors count."""
    unit = access.unit_of_request(request)
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    slice_form = ResultsSliceForm(request.GET)
    sliced = slice_form.is_sliced
    narrow = slice_form.narrow() if sliced else {}
    if sliced and slice_form.cleaned_data.get("from"):
        year = slice_form.cleaned_data["from"].year
    year = min(max(year, 2000), this_year + 1)
    start, end = workdays.year_bounds(year)
    if sliced:
        data = slice_form.cleaned_data
        first, last = data.get("from"), data.get("to")
        if first or last:  # a missing end is the end (or start) of the other's year
            first = first or datetime.date(last.year, 1, 1)
            last = last or datetime.date(first.year, 12, 31)
            start, end = workdays.local_midnight(first), workdays.local_midnight(last + datetime.timedelta(days=1))
    elif slice_form.errors:
        messages.error(request, _("The filter was not valid; the whole year is shown."))
    units = [unit]
    if request.user.is_office:
        # Only the answers given while this office supervised the unit (docs/domain/supervision.md).
        narrow = {**narrow, "where": access.supervised_q(request.user.office_id, "unit", "submitted_at")}
    state = request.GET.get("comments", "open")
    if state not in ("open", "handled", "all"):
        state = "open"
    trend = selectors.monthly_trend(units=units, start=start, end=end, **narrow)
    comments = Paginator(selectors.comments(units=units, start=start, end=end, state=state, **narrow), 20)
    area = Field.objects.filter(key=narrow["area"]).first() if narrow.get("area") else None
    return render(request, "surveys/results.html", {
        "unit": unit, "year": year, "years": range(this_year, this_year - 5, -1), "state": state,
        "units": access.readable_units(request.user) if not request.user.unit_id else None,
        "sliced": sliced, "slice": {**narrow, "area": area, "start": start.date(), "end": (end - datetime.timedelta(days=1)).date()},
        "summary": selectors.satisfaction_summary(units=units, start=start, end=end, **narrow),
        "areas": selectors.area_rows(units=units, start=start, end=end, **narrow),
        "factors": selectors.factor_averages(units=units, start=start, end=end, **narrow),
        "trend": trend,
        "trend_data": {
            "labels": [f"{r['month']:%m/%Y}" for r in trend],
            "rates": [None if r["rate"] is None else float(r["rate"]) for r in trend],
            "responses": [r["responses"] for r in trend],
            "rateLabel": _("Satisfaction rate (%)"), "responsesLabel": _("Responses"),
        },
        "comments": comments.get_page(request.GET.get("page")),
        "can_write": access.can_write(request.user, unit),
        "can_manage": access.can_manage(request.user, unit),
    })


@login_required
@require_POST
def comment_handled(request, pk):
    response = access.get_object_for_user(Response.objects.select_related("unit"), request.user, write=True, pk=pk)
    handled = request.POST.get("handled", "1") == "1"
    services.comment_mark_handled(response=response, user=request.user, handled=handled)
    messages.success(request, _("The comment is marked as handled.") if handled else _("The comment is open again."))
    query = request.POST.get("next_query", "")
    return redirect(reverse("surveys:results") + (f"?{query}" if query else ""))


@login_required
def posters(request):
    """Printable A4 posters, one per service area, with the QR code of its open survey."""
    unit = access.unit_of_request(request)
    rows = [
        {"area": area, "url": links.open_survey_url(unit, area), "qr": core_links.qr_svg(links.open_survey_url(unit, area), scale=10)}
        for area in selectors.survey_areas()
    ]
    return render(request, "surveys/print/posters.html", {"unit": unit, "posters": rows})


@login_required
def questionnaire(request):
    """The unit's questionnaire; a principal adds a question (a new version)."""
    unit = access.unit_of_request(request)
    can_manage = access.can_manage(request.user, unit)
    current = selectors.active_questionnaire(unit=unit)
    form = QuestionAddForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            taken = set(current.questions.values_list("key", flat=True))
            new = services.questionnaire_add_question(
                unit=unit, key=form.key(taken), text_vi=form.cleaned_data["text_vi"],
                text_en=form.cleaned_data["text_en"], kind=form.cleaned_data["kind"],
                required=form.cleaned_data["required"],
            )
            messages.success(request, _("Question added: the questionnaire is now version %(v)s.") % {"v": new.version})
            return redirect(reverse("surveys:questionnaire") + f"?unit={unit.slug}")
    return render(request, "surveys/questionnaire.html", {
        "unit": unit, "questionnaire": current, "questions": current.questions.all(), "core_keys": CORE_KEYS,
        "form": form, "can_manage": can_manage,
        "versions": unit.questionnaires.annotate(answered=Count("responses")).order_by("-version"),
    })


@login_required
@require_POST
def questionnaire_remove(request):
    unit = access.unit_of_request(request, manage=True)
    key = request.POST.get("key", "")
    if key in CORE_KEYS or not selectors.active_questionnaire(unit=unit).questions.filter(key=key).exists():
        raise Http404
    new = services.questionnaire_remove_question(unit=unit, key=key)
    messages.success(request, _("Question removed: the questionnaire is now version %(v)s.") % {"v": new.version})
    return redirect(reverse("surveys:questionnaire") + f"?unit={unit.slug}")
