"""The national scorecard of Quyết định 766/QĐ-TTg (docs/legal/scorecard.md): the
indicator set for serving citizens in administrative procedures, 100 points in five
groups — publicity and transparency 18, progress 20, online services (with online
payment) 22, digitisation 22, satisfaction (with feedback handling) 18.

The portal scores only the criteria its own records measure; the others (publication
in the national database, synchronisation with the national portal, reuse of
digitised data…) are listed as "not known to the portal", never guessed. A criterion
scores ``points × rate``; where the annex gives no split inside a group, the group's
points are shared evenly between its criteria. Every number links to its records.
Progress counts dossiers still open past their deadline as not on time: the decision
scores in real time, when such a dossier is already late (docs/legal/scorecard.md lists
this among the points to confirm against the annex)."""
import dataclasses

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, Procedure
from kpi import links, selectors
from kpi.indicators import Period


@dataclasses.dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    points: float
    known: bool = True


GROUPS = [
    ("publicity", _("Publicity and transparency"), 18, [
        Criterion("procedures_published_on_time", _("Procedures announced on time"), 14 / 3, known=False),
        Criterion("procedures_published", _("Procedures updated and published"), 4),
        Criterion("procedures_complete", _("Procedures published with every required part"), 14 / 3),
        Criterion("dossiers_synced", _("Dossiers synchronised with the National Public Service Portal"), 14 / 3, known=False),
    ]),
    ("progress", _("Progress and results of handling"), 20, [
        Criterion("dossiers_on_time", _("Dossiers handled early or on time"), 20),
    ]),
    ("online", _("Online public services and online payment"), 22, [
        # 12 points for online services, 10 for online payment (docs/legal/scorecard.md)
        Criterion("procedures_online", _("Procedures offered as online public services"), 4),
        Criterion("online_services_used", _("Online services that received dossiers"), 4),
        Criterion("dossiers_online", _("Dossiers submitted online"), 4),
        Criterion("procedures_paid_online", _("Procedures with online payment"), 5, known=False),
        Criterion("payments_online", _("Payments made online"), 5),
    ]),
    ("digitisation", _("Digitisation of dossiers and results"), 22, [
        Criterion("e_results", _("Dossiers with an electronic result"), 22 / 3),
        Criterion("dossiers_digitised", _("Dossiers digitised at intake"), 22 / 3, known=True),
        Criterion("data_reused", _("Digitised data reused"), 22 / 3, known=False),
    ]),
    ("satisfaction", _("Satisfaction"), 18, [
        Criterion("feedback_on_time", _("Feedback handled on time"), 6),
        Criterion("feedback_satisfaction", _("Satisfaction with the handling of feedback"), 6),
        Criterion("dossier_satisfaction", _("Satisfaction with the handling of procedures"), 6),
    ]),
]


INDICATOR_OF = {
    "dossiers_online": "online_submission_rate",
    "e_results": "e_result_rate",
    "dossiers_digitised": "digitised_rate",
    "feedback_satisfaction": "feedback_satisfaction_rate",
}


def _procedure_counts(period: Period) -> dict:
    """The catalogue's counts, as aggregates (for the units together, or per unit)."""
    active = Q(is_active=True)
    online_procedure = active & ~Q(online=Procedure.OnlineLevel.NONE)
    complete = ~Q(legal_basis="") & ~Q(fee="") & ~Q(required_documents=[])
    # An online service "used" has an online dossier received in the period: asked per procedure
    # (EXISTS on its dossiers), not by joining every dossier of the scope, which took a province's
    # count 1.8 s. (Aliases that are not field names: an alias would shadow the field in the filters.)
    used = Exists(Dossier.objects.filter(
        procedure=OuterRef("pk"), channel=Dossier.Channel.ONLINE,
        received_at__gte=period.start_at, received_at__lt=period.end_before))
    return {
        "n_active": Count("id", filter=active),
        "n_published": Count("id", filter=active & Q(is_published=True)),
        "n_complete": Count("id", filter=active & Q(is_published=True) & complete),
        "n_online": Count("id", filter=online_procedure),
        "n_online_used": Count("id", filter=online_procedure & Q(used)),
    }


# The KPI rows a scorecard reads: its own criteria's indicators and the two it takes as they are.
ROW_KEYS = ("e_payment_rate", "dossier_satisfaction_rate", *INDICATOR_OF.values())


def _measured(*, counts: dict, procedures: dict, rows: dict) -> dict:
    """``{criterion key: (numerator, denominator)}`` from the period's counts (``kpi.selectors``:
    dossiers and feedback, from the rollup), the catalogue's counts, and the KPI rows
    ``{indicator key: (numerator, denominator)}``."""
    measured = {
        "procedures_published": (procedures["n_published"], procedures["n_active"]),
        "procedures_complete": (procedures["n_complete"], procedures["n_published"]),
        # Quyết định 766: dossiers still open past their deadline count against progress.
        "dossiers_on_time": (counts["on_time"], counts["completed"] + counts["overdue"]),
        "procedures_online": (procedures["n_online"], procedures["n_active"]),
        "online_services_used": (procedures["n_online_used"], procedures["n_online"]),
        "payments_online": rows["e_payment_rate"],
        # Feedback answered by its deadline out of all received (the KPI catalogue's on-time
        # rate counts out of those answered).
        "feedback_on_time": (counts["fb_answered_on_time"], counts["fb_received"]),
        "dossier_satisfaction": rows["dossier_satisfaction_rate"],
        "_overdue": (counts["overdue"], counts["completed"]),
    }
    # Where the KPI catalogue has the indicator itself (docs/kpi/online-services.md), its
    # row is the one number.
    for criterion, indicator in INDICATOR_OF.items():
        measured[criterion] = rows[indicator]
    return measured


def _measure(units, period: Period, now) -> dict:
    """``_measured`` for ``units`` together: the dossier, feedback and survey numbers from
    ``kpi.selectors`` (so the scorecard agrees with the dashboard and the Excel report,
    supervision dates included), the catalogue's from the procedures."""
    # One read of the rollup for both: the overall rows take any grouping of the counts.
    counts = selectors.period_counts(units=units, period=period, now=now)
    rows = {r["key"]: (r["numerator"], r["denominator"])
            for r in selectors.indicator_rows(units=units, period=period, now=now, counts=counts, overall_only=True)}
    return _measured(
        counts=selectors.totals(counts=counts),
        procedures=Procedure.objects.filter(unit__in=units).aggregate(**_procedure_counts(period)), rows=rows)


def _measure_by_unit(scope, period: Period, now) -> list[tuple]:
    """``[(unit, _measured)]`` for each unit of ``scope``, in the order of
    ``kpi.selectors.unit_comparison``, from the same counts grouped by unit: a handful of
    queries for a province's thousand units, where a scorecard per unit made a dozen each
    (9,000 queries and 37 s for the province's page)."""
    counts = selectors.period_counts(units=scope, period=period, now=now, by="unit")
    no_procedures = dict.fromkeys(_procedure_counts(period), 0)
    procedures = {r["unit_id"]: r for r in Procedure.objects.filter(unit__in=scope).order_by()
                  .values("unit_id").annotate(**_procedure_counts(period))}
    out = []
    for entry in selectors.unit_comparison(units=scope, period=period, now=now, keys=ROW_KEYS, counts=counts):
        pk = entry["unit"].pk
        rows = {key: (row["numerator"], row["denominator"]) for key, row in entry["rows"].items()}
        out.append((entry["unit"], _measured(
            counts=selectors.totals(counts={pk: counts.get(pk, {})}),
            procedures=procedures.get(pk, no_procedures), rows=rows)))
    return out


def _links(key: str, unit, period: Period) -> dict:
    """Where the numerator and the denominator of a criterion are listed."""
    catalogue = links._with(links._url("dossiers:procedures", "/dossiers/procedures/"), links._base(unit))
    received = {"received_from": period.start.isoformat(), "received_to": period.end.isoformat()}
    by_key = {
        "procedures_published": (catalogue, catalogue),
        "procedures_complete": (catalogue, catalogue),
        "dossiers_on_time": (links.completed(unit, period, timeliness=["early", "on_time"]),
                             links.register(unit, period, period_from=period.start.isoformat(),
                                            period_to=period.end.isoformat(), settled="1")),
        "procedures_online": (catalogue, catalogue),
        "online_services_used": (catalogue, catalogue),
        "dossiers_online": (links.register(unit, period, channel="online", **received), links.register(unit, period, **received)),
        "e_results": (links.completed(unit, period, e_result="1"), links.completed(unit, period)),
    }
    if key in by_key:
        numerator, denominator = by_key[key]
        return {"numerator": numerator, "denominator": denominator}
    if key == "dossiers_digitised":
        return links.links_for({"key": INDICATOR_OF[key], "field": None}, unit, period)
    indicator = {"payments_online": "e_payment_rate", "feedback_on_time": "feedback_answered_rate",
                 "feedback_satisfaction": "feedback_satisfaction_rate", "dossier_satisfaction": "dossier_satisfaction_rate"}[key]
    found = links.links_for({"key": indicator, "field": None}, unit, period)
    if key == "feedback_on_time":
        found["numerator"] = links.links_for({"key": "feedback_on_time_rate", "field": None}, unit, period)["numerator"]
    return found


def scorecard(*, units, period: Period, unit=None, now=None) -> dict:
    """``{from, to, unit, known_points, score, groups: [{key, name, points, known_points,
    score, criteria: [{key, name, points, known, numerator, denominator, rate, score,
    links}]}]}``; a criterion with no records has no rate and no score."""
    now = now or timezone.now()
    # An office's catalogue criteria read the procedures of the units it supervised during the
    # period; its records are already counted by date (docs/domain/supervision.md).
    units = selectors.compared_units(units=units, period=period)
    return _card(_measure(units, period, now), period=period, unit=unit)


def _names() -> dict:
    """The groups' and criteria's names in the active language, by key (translated once for a
    table of many cards, not once per card)."""
    groups = {key: str(name) for key, name, _points, _criteria in GROUPS}
    return groups | {c.key: str(c.name) for *_group, criteria in GROUPS for c in criteria}


def _card(measured: dict, *, period: Period, unit, with_links: bool = True, names: dict | None = None) -> dict:
    """The scorecard's body (``scorecard``) from its measured numbers; ``with_links=False``
    leaves each criterion's links empty (the side-by-side table links to the unit's page)."""
    names = names or _names()
    groups, total, total_known = [], 0.0, 0.0
    for key, _name, points, criteria in GROUPS:
        rows, score, known_points = [], 0.0, 0.0
        for criterion in criteria:
            row = {"key": criterion.key, "name": names[criterion.key], "points": round(criterion.points, 2),
                   "known": criterion.known, "numerator": None, "denominator": None, "rate": None, "score": None,
                   "links": {}}
            if criterion.known:
                numerator, denominator = measured[criterion.key]
                rate = selectors.percent(numerator, denominator)
                row.update(numerator=numerator, denominator=denominator, rate=rate,
                           links=_links(criterion.key, unit, period) if with_links else {})
                if rate is not None:
                    row["score"] = round(criterion.points * rate / 100, 2)
                    score += row["score"]
                    known_points += criterion.points
            rows.append(row)
        groups.append({"key": key, "name": names[key], "points": points, "known_points": round(known_points, 2),
                       "score": round(score, 2), "criteria": rows})
        total += score
        total_known += known_points
    return {
        "unit": unit.slug if unit else None, "from": period.start.isoformat(), "to": period.end.isoformat(),
        "points": 100, "known_points": round(total_known, 2), "score": round(total, 2),
        "overdue_open": measured["_overdue"][0], "groups": groups,
    }


def office_scorecards(*, units, period: Period, now=None, only=None) -> list[dict]:
    """One scorecard per unit of an office, for the side-by-side table: the units the office
    supervised during the period, each counted for the office's days only (the unit narrowed
    within the office's scope, not taken alone; docs/domain/supervision.md). The table shows
    scores and links each unit to its own scorecard, so the criteria carry no links here.
    ``only``: the ids of the units wanted (a page of the table), else every one."""
    now = now or timezone.now()
    scope = selectors.compared_units(units=units, period=period)
    if only is not None:
        scope = scope.filter(pk__in=only)
    names = _names()
    return [{"unit": unit, "card": _card(measured, period=period, unit=unit, with_links=False, names=names)}
            for unit, measured in _measure_by_unit(scope, period, now)]
