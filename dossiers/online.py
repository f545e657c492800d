"""Public pages of online submission (no account): the procedures open online, the form,
the private follow-up link, and the electronic result downloaded through the tracking
link. Consent, a honeypot and per-address limits as the other public forms; the limits
fail OPEN when the cache is down (a parent's dossier matters more than a little spam)."""
import hmac

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import links, ratelimit
from core.models import Unit
from dossiers import selectors, submissions
from dossiers.forms import SubmissionForm
from dossiers.models import Submission

# (window in seconds, most submissions from one address in it)
LIMITS = ((10 * 60, 5), (24 * 60 * 60, 20))


def _allow_send(request) -> bool:
    return ratelimit.allows(request, scope="online-submission", limits=LIMITS)


def follow_url(submission: Submission) -> str:
    """The private link of a submission (given on the answer page)."""
    path = reverse("dossiers:online-follow", args=[submission.reference])
    return links.absolute_url(f"{path}?{urlencode({'s': submission.secret})}")


def procedure_list(request, slug):
    unit = get_object_or_404(Unit, slug=slug)
    return render(request, "dossiers/online_list.html", {
        "unit": unit, "procedures": selectors.online_procedures(unit=unit),
    })


@never_cache
def submit(request, slug, code):
    unit = get_object_or_404(Unit, slug=slug)
    procedure = selectors.online_procedures(unit=unit).filter(code=code).first()
    if procedure is None:
        raise Http404
    form = SubmissionForm(request.POST or None, request.FILES or None, procedure=procedure)
    status = 200
    if request.method == "POST":
        if form.is_bot():
            # Pretend success to the bot; nothing is stored.
            return render(request, "dossiers/online_sent.html", {"unit": unit, "procedure": procedure, "bot": True})
        if form.is_valid():
            if not _allow_send(request):
                form.add_error(None, _("Too many dossiers have been sent from your connection. Please try again later."))
                status = 429
            else:
                data = form.cleaned_data
                submission = submissions.submission_receive(
                    unit=unit, procedure=procedure, applicant_name=data["applicant_name"],
                    applicant_phone=data["applicant_phone"], applicant_email=data["applicant_email"],
                    applicant_address=data["applicant_address"], request_summary=data["request_summary"],
                    files=data["files"],
                )
                return render(request, "dossiers/online_sent.html", {
                    "unit": unit, "procedure": procedure, "submission": submission, "follow_url": follow_url(submission),
                })
        if status == 200:
            status = 400
    return render(request, "dossiers/online_form.html", {
        "unit": unit, "procedure": procedure, "form": form, "max_file_mb": settings.SUBMISSION_MAX_FILE_MB,
    }, status=status)


@never_cache
def follow(request, reference):
    """The private link: the submission's state; once accepted, the dossier's tracking page."""
    submission = Submission.objects.select_related("unit", "procedure", "dossier").filter(reference=reference).first()
    secret = request.GET.get("s", "")
    if submission is None or not secret or not hmac.compare_digest(secret, submission.secret):
        raise Http404
    if submission.dossier is not None:
        path = reverse("dossiers:track-detail", args=[submission.dossier.code])
        return redirect(f"{path}?{urlencode({'s': submission.dossier.tracking_secret})}")
    response = render(request, "dossiers/online_follow.html", {"submission": submission, "follow_url": follow_url(submission)})
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def track_result(request, code, result):
    """An electronic result, through the tracking link's secret only (never by code alone)."""
    from dossiers.api import serve_result
    from dossiers.selectors import dossier_results

    dossier = selectors.tracked_dossier(code=code, secret=request.GET.get("s", ""))
    if dossier is None or not request.GET.get("s"):
        raise Http404
    found = next((d for d in dossier_results(dossier=dossier) if d.code == result), None)
    if found is None:
        raise Http404
    return serve_result(found)


@never_cache
def track_receipt(request, code):
    """The receipt (form 01) of a dossier as a PDF, for the applicant holding the private
    link: an online applicant never stood at the desk to be handed one."""
    from dossiers import documents
    from dossiers.models import Dossier

    secret = request.GET.get("s", "")
    dossier = Dossier.objects.select_related("unit", "unit__office", "procedure", "received_by").filter(code=code).first()
    if dossier is None or not secret or not hmac.compare_digest(secret, dossier.tracking_secret):
        raise Http404
    response = documents.form_pdf_response(dossier=dossier, item=documents.form_of(dossier=dossier, form="receipt"))
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response
