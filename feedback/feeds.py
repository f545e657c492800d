"""/u/<slug>/feedback.atom: the unit's published answers, for its Zalo and Facebook
pages. Public fields only — never the sender's name, phone, e-mail or notes."""
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.models import Unit
from feedback import selectors


class PublishedAnswersFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Unit, slug=slug)

    def title(self, unit):
        return _("Answers to feedback — %(unit)s") % {"unit": unit.name}

    def subtitle(self, unit):
        return _("Feedback and recommendations received by %(unit)s and the unit's answers.") % {"unit": unit.name}

    def link(self, unit):
        return reverse("feedback:public-list", args=[unit.slug])

    def author_name(self, unit):
        return unit.name

    def items(self, unit):
        items = list(selectors.published_items(unit=unit)[:50])
        for item in items:
            item.unit = unit  # the feed's unit, not one query per item
        return items

    def item_title(self, item):
        return item.public_subject  # Atom titles are text: XML-escaped by the generator

    def item_description(self, item):
        # The summary is HTML: the sender's words and the answer are escaped first.
        return format_html(
            "{}<p><strong>{}</strong></p>{}",
            mark_safe(linebreaks(item.public_content, autoescape=True)),  # noqa: S308 - escaped by linebreaks
            _("Answer of the unit:"),
            mark_safe(linebreaks(item.public_answer, autoescape=True)),  # noqa: S308 - escaped by linebreaks
        )

    def item_link(self, item):
        return reverse("feedback:public-item", args=[item.unit.slug, item.code])

    def item_guid(self, item):
        return f"urn:cchc:feedback:{item.code}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
