"""Feedback pages: the public form and tracking page, the published answers, and the
staff inbox. Views stay thin: they check access (core.access), call one service or
selector, render."""
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access, links
from core.models import FoldedName, InVietnameseOrder, Unit
from core.text import fold
from core.uploads import private_upload_response
from feedback import notices, selectors, services
from feedback.forms import (
    AnswerForm, AssignForm, ComplaintForm, FeedbackForm, InboxFilterForm, NoteForm, PublishForm, RatingForm,
)
from feedback.models import Feedback, FeedbackAttachment
from feedback.spam import allow_send

# --- Public pages -------------------------------------------------------------------


UNITS_PER_PAGE = 30


def _choose_unit(request, *, status):
    """The units to send feedback to, in Vietnamese order, a page at a time, searched by name
    with or without marks ("tuoi hong" finds "Tuổi Hồng"): a province has a thousand."""
    units = Unit.objects.order_by(InVietnameseOrder("name")).only("slug", "name")
    query = " ".join(request.GET.get("q", "").split())[:100]
    if query:
        units = units.annotate(folded=FoldedName("name")).filter(folded__contains=fold(query))
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    if not query and page.paginator.count == 1:  # a portal of one school: straight to its form
        return redirect(f"{reverse('feedback:new')}?{urlencode({'unit': page[0].slug})}")
    return render(request, "feedback/choose_unit.html", {"page": page, "query": query}, status=status)


def feedback_new(request):
    """Anyone sends feedback to a unit: /feedback/new/?unit=<slug>."""
    slug = request.GET.get("unit", "")
    unit = Unit.objects.filter(slug=slug).first() if slug else None
    if unit is None:
        return _choose_unit(request, status=404 if slug else 200)
    form = FeedbackForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_bot():
            # Pretend success to the bot; nothing is stored.
            return render(request, "feedback/sent_bot.html", {"unit": unit})
        if form.is_valid():
            if not allow_send(request):
                form.add_error(None, _("Too many messages have been sent from your connection. Please try again later."))
            else:
                data = form.cleaned_data
                feedback = services.feedback_receive(
                    unit=unit, kind=data["kind"], subject=data["subject"], content=data["content"],
                    name=data["name"], phone=data["phone"], email=data["email"],
                    consent_publish=data["consent_publish"], attachments=data["attachments"],
                )
                url = reverse("feedback:track", args=[feedback.code])
                return redirect(f"{url}?{urlencode({'s': feedback.tracking_secret, 'sent': 1})}")
    return render(request, "feedback/new.html", {"unit": unit, "form": form}, status=400 if form.errors else 200)


def feedback_track(request, code):
    """Follow one feedback. The status is public; the sender's own text and the answer
    need the private link's secret (or are shown once published)."""
    feedback = get_object_or_404(Feedback.objects.select_related("unit"), code=code)
    secret = request.GET.get("s", "")
    owner = bool(secret) and secrets.compare_digest(secret, feedback.tracking_secret)
    private_url = None
    if owner:
        query = urlencode({"s": feedback.tracking_secret})
        private_url = links.absolute_url(f"{reverse('feedback:track', args=[feedback.code])}?{query}")
    context = {
        "feedback": feedback,
        "owner": owner,
        "sent": owner and request.GET.get("sent") == "1",
        "private_url": private_url,
        "published": feedback.published_at is not None,
        # The sender may rate the answer from their private link too (once).
        "rate_url": notices.rating_url(feedback) if owner and feedback.answered_at and selectors.answer_rating(feedback=feedback) is None else None,
    }
    response = render(request, "feedback/track.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def rate_answer(request, code, token):
    """The sender rates the answer once, through the token link sent with it. Accounts
    (staff, principals, offices) cannot rate: the rate is the citizens' voice."""
    feedback = get_object_or_404(Feedback.objects.select_related("unit"), code=code)
    if not notices.rating_token_ok(feedback, token):
        raise Http404
    context = {"feedback": feedback, "unit": feedback.unit, "track_url": notices.private_url(feedback)}
    if request.user.is_authenticated:
        return render(request, "feedback/rate.html", {**context, "refused": "staff"}, status=403)
    if selectors.answer_rating(feedback=feedback) is not None:
        return render(request, "feedback/rate.html", {**context, "refused": "again"}, status=409 if request.method == "POST" else 200)
    if feedback.answered_at is None:
        return render(request, "feedback/rate.html", {**context, "refused": "unanswered"}, status=409)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_rate(feedback=feedback, **form.cleaned_data)
        except services.RatingError:
            return render(request, "feedback/rate.html", {**context, "refused": "again"}, status=409)
        return render(request, "feedback/rate.html", {**context, "thanks": True})
    return render(request, "feedback/rate.html", {**context, "form": form}, status=400 if form.errors else 200)


def public_list(request, slug):
    unit = get_object_or_404(Unit, slug=slug)
    page = Paginator(selectors.published_items(unit=unit), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/public_list.html", {"unit": unit, "page": page})


def public_item(request, slug, code):
    """One published answer, with Open Graph tags for sharing to Zalo and Facebook."""
    unit = get_object_or_404(Unit, slug=slug)
    item = selectors.published_item(unit=unit, code=code)
    if item is None:
        raise Http404
    share_url = links.absolute_url(reverse("feedback:public-item", args=[unit.slug, item.code]))
    return render(request, "feedback/public_item.html", {"unit": unit, "item": item, "share_url": share_url})


# --- Staff inbox ----------------------------------------------------------------------


@login_required
def inbox(request):
    unit = access.unit_of_request(request)
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    assigned = request.GET.get("assigned", "")
    now = timezone.now()
    # Received between two dates, answered, by the deadline...: the KPI dashboard's links.
    filter_form = InboxFilterForm(request.GET)
    narrow = filter_form.narrow()
    items = selectors.inbox_items(unit=unit, status=status, overdue=overdue, assigned=assigned, user=request.user, now=now,
                                  **narrow)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    counts = selectors.status_counts(unit=unit, now=now, user=request.user, **narrow)
    return render(request, "feedback/inbox.html", {
        "unit": unit, "page": page, "counts": counts, "now": now, "status": status, "overdue": overdue,
        "filter_form": filter_form,
        "kept": [(name, request.GET[name]) for name in ("unit", "status", "overdue", "assigned") if request.GET.get(name)],
        "assigned": assigned, "statuses": [(value, label, counts[value]) for value, label in Feedback.Status.choices],
        "can_write": access.can_write(request.user, unit),
    })


def _get(request, code, *, write=False):
    return access.get_object_for_user(
        Feedback.objects.select_related("unit", "assigned_to", "answered_by", "dossier"), request.user,
        write=write, code=code,
    )


@login_required
def detail(request, code, *, answer_form=None, note_form=None):
    feedback = _get(request, code)
    can_write = access.can_write(request.user, feedback.unit)
    procedures = services.complaint_procedures(unit=feedback.unit)
    return render(request, "feedback/detail.html", {
        "feedback": feedback,
        "unit": feedback.unit,
        "can_write": can_write,
        "events": feedback.events.select_related("actor"),
        "rating": selectors.answer_rating(feedback=feedback),
        "sender_notices": feedback.sender_notices.order_by("id"),
        "notes": feedback.notes.select_related("author"),
        "attachments": feedback.attachments.all(),
        "answer_form": answer_form or AnswerForm(initial={"answer": feedback.answer}),
        "note_form": note_form or NoteForm(),
        "assign_form": AssignForm(unit=feedback.unit, initial={"assignee": feedback.assigned_to_id}),
        "complaint_form": ComplaintForm(procedures=procedures),
        "has_complaint_procedure": procedures.exists(),
    })


@login_required
@require_POST
def act(request, code, action):
    """start, answer, close (publish has its own preview step)."""
    feedback = _get(request, code, write=True)
    if action not in ("start", "answer", "close"):
        raise Http404
    answer = ""
    if action == "answer":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return detail(request, code, answer_form=form)
        answer = form.cleaned_data["answer"]
    try:
        services.feedback_transition(feedback=feedback, action=action, actor=request.user, answer=answer)
    except (services.TransitionError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, {
            "start": _("Handling started."), "answer": _("The answer was saved and can be seen by the sender."),
            "close": _("The feedback was closed."),
        }[action])
    return redirect("feedback:detail", code=feedback.code)


@login_required
def publish(request, code):
    """The publish step: staff review exactly what the public will see, then confirm."""
    feedback = _get(request, code, write=True)
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid() and "confirm" in request.POST:
            try:
                services.feedback_transition(feedback=feedback, action="publish", actor=request.user, **form.cleaned_data)
            except (services.TransitionError, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                return redirect("feedback:detail", code=feedback.code)
            messages.success(request, _("The answer is published on the unit's public page."))
            return redirect("feedback:detail", code=feedback.code)
    else:
        form = PublishForm(initial={
            "public_subject": feedback.public_subject or feedback.subject,
            "public_content": feedback.public_content or feedback.content,
            "public_answer": feedback.public_answer or feedback.answer,
        })
    values = form.cleaned_data if form.is_bound and form.is_valid() else {k: form[k].value() or "" for k in form.fields}
    # The preview is rendered by the same template as the public page, from these values only.
    preview = Feedback(
        unit=feedback.unit, code=feedback.code, kind=feedback.kind,
        published_at=feedback.published_at or timezone.now(), **values,
    )
    return render(request, "feedback/publish.html", {
        "feedback": feedback, "unit": feedback.unit, "form": form, "preview": preview,
        "blocked": not (feedback.consent_publish and feedback.publishable),
    })


@login_required
@require_POST
def assign(request, code):
    feedback = _get(request, code, write=True)
    form = AssignForm(request.POST, unit=feedback.unit)
    if form.is_valid():
        services.feedback_assign(feedback=feedback, assignee=form.cleaned_data["assignee"], actor=request.user)
        messages.success(request, _("Assignment saved."))
    else:
        messages.error(request, _("Choose a person of the unit."))
    return redirect("feedback:detail", code=feedback.code)


@login_required
@require_POST
def add_note(request, code):
    feedback = _get(request, code, write=True)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return detail(request, code, note_form=form)
    services.feedback_add_note(feedback=feedback, body=form.cleaned_data["body"], author=request.user)
    messages.success(request, _("Internal note added."))
    return redirect("feedback:detail", code=feedback.code)


@login_required
@require_POST
def to_dossier(request, code):
    feedback = _get(request, code, write=True)
    form = ComplaintForm(request.POST, procedures=services.complaint_procedures(unit=feedback.unit))
    procedure = form.cleaned_data["procedure"] if form.is_valid() else None
    try:
        dossier = services.feedback_to_dossier(feedback=feedback, actor=request.user, procedure=procedure)
    except services.ConversionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Dossier %(code)s was opened for this complaint.") % {"code": dossier.code})
    return redirect("feedback:detail", code=feedback.code)


@login_required
def attachment(request, code, pk):
    """An attachment, to the unit's staff only (never a public URL)."""
    feedback = _get(request, code)
    if not access.can_write(request.user, feedback.unit):
        raise Http404
    item = get_object_or_404(FeedbackAttachment, pk=pk, feedback=feedback)
    return private_upload_response(item, stem=f"{feedback.code}-{item.pk}")
