"""The catalogue of indicators (DESIGN.md "KPI and reports") and the default targets
of a new yearly plan (DESIGN.md's table, from plan 16/KH-MNTH)."""
import dataclasses
import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workdays


@dataclasses.dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    # "field" (per field of procedures), "area" (per survey service area) or "" (overall only)
    breakdown: str = ""
    # entered by hand each month (MonthlyFigure) rather than measured from records
    monthly: bool = False
    # shown in the Excel chart and on the office comparison
    main: bool = True
    numerator_label: str = ""
    denominator_label: str = ""


INDICATORS = (
    Indicator("dossier_on_time_rate", _("Dossiers resolved on time"), breakdown="field",
              numerator_label=_("early or on time"), denominator_label=_("completed")),
    # Only an apology in time (kịp thời: at least one working day before the due date)
    # counts, as the plan's target says (docs/domain/counting-and-words.md).
    Indicator("late_apology_rate", _("Late dossiers with a timely apology letter"),
              numerator_label=_("with a timely apology letter"), denominator_label=_("late or overdue")),
    Indicator("satisfaction_rate", _("Satisfaction with the unit's service"), breakdown="area",
              numerator_label=_("satisfied"), denominator_label=_("responses")),
    Indicator("dossier_satisfaction_rate", _("Satisfaction with the handling of administrative procedures"),
              numerator_label=_("satisfied"), denominator_label=_("dossier survey responses")),
    Indicator("feedback_answered_rate", _("Feedback answered"),
              numerator_label=_("answered"), denominator_label=_("received")),
    Indicator("feedback_on_time_rate", _("Feedback answered by the deadline"), main=False,
              numerator_label=_("by the deadline"), denominator_label=_("answered")),
    Indicator("feedback_published_rate", _("Answered feedback published"),
              numerator_label=_("published"), denominator_label=_("answered and publishable")),
    Indicator("e_payment_rate", _("Service payments made electronically"), monthly=True,
              numerator_label=_("electronic"), denominator_label=_("payments")),
    Indicator("e_document_rate", _("Official documents exchanged electronically"), monthly=True,
              numerator_label=_("electronic"), denominator_label=_("documents")),
    Indicator("outreach_rate", _("Outreach products published against planned"), monthly=True, main=False,
              numerator_label=_("published"), denominator_label=_("planned")),
    # The national scorecard of online public services (Quyết định 766/QĐ-TTg; docs/kpi/online-services.md)
    Indicator("online_submission_rate", _("Dossiers submitted online"),
              numerator_label=_("submitted online"), denominator_label=_("received")),
    Indicator("end_to_end_rate", _("Dossiers handled online end to end"),
              numerator_label=_("online, end to end"), denominator_label=_("received")),
    Indicator("e_result_rate", _("Results issued electronically"),
              numerator_label=_("with an electronic result"), denominator_label=_("completed")),
    Indicator("digitised_rate", _("Dossiers with digitised components"),
              numerator_label=_("digitised"), denominator_label=_("received")),
    Indicator("feedback_satisfaction_rate", _("Satisfaction with answers to feedback"),
              numerator_label=_("rated 4 or 5"), denominator_label=_("ratings")),
)
SCORECARD_KEYS = ("online_submission_rate", "end_to_end_rate", "e_result_rate", "digitised_rate",
                  "feedback_satisfaction_rate")
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
MONTHLY_KEYS = tuple(i.key for i in INDICATORS if i.monthly)

# Targets of plan 16/KH-MNTH that differ from the field list's defaults.
DEFAULT_OVERALL = {
    "dossier_on_time_rate": Decimal(100),
    "late_apology_rate": Decimal(100),
    "satisfaction_rate": Decimal(99),
    "dossier_satisfaction_rate": Decimal(99),
    "feedback_answered_rate": Decimal(100),
    "feedback_on_time_rate": Decimal(100),
    "feedback_published_rate": Decimal(100),
    "e_payment_rate": Decimal(100),
    "e_document_rate": Decimal(100),
    "outreach_rate": Decimal(100),
    # Nghị quyết 76/NQ-CP and the scorecard of Quyết định 766/QĐ-TTg (docs/kpi/online-services.md):
    # at least half of the dossiers online, every dossier and result digitised and issued
    # electronically, at least 90% satisfied.
    "online_submission_rate": Decimal(50),
    "end_to_end_rate": Decimal(50),
    "e_result_rate": Decimal(100),
    "digitised_rate": Decimal(100),
    "feedback_satisfaction_rate": Decimal(90),
}
# "…đạt từ 99% trở lên" in every service area, 99% for inclusive education too.
DEFAULT_AREA_TARGET = Decimal(99)


def default_targets(fields) -> list[tuple[str, str, Decimal]]:
    """``[(key, field_key, value)]`` of a new plan: the overall rows, on-time per field of
    procedures (the field's default: 100, xử lý đơn 98, khiếu nại tố cáo 95) and
    satisfaction per service area (99)."""
    rows = [(key, "", value) for key, value in DEFAULT_OVERALL.items()]
    for field in fields:
        if field.has_procedures:
            rows.append(("dossier_on_time_rate", field.key, Decimal(field.default_target)))
        if field.is_survey_area:
            rows.append(("satisfaction_rate", field.key, DEFAULT_AREA_TARGET))
    return rows


@dataclasses.dataclass(frozen=True)
class Period:
    """Dates ``start`` to ``end``, both included, in the portal's time zone."""

    start: datetime.date
    end: datetime.date

    @property
    def start_at(self) -> datetime.datetime:
        return workdays.local_midnight(self.start)

    @property
    def end_before(self) -> datetime.datetime:
        """The first instant after the period."""
        return workdays.local_midnight(self.end + datetime.timedelta(days=1))

    @property
    def year(self) -> int:
        """The plan year whose targets apply: the year the period starts in."""
        return self.start.year

    @classmethod
    def year_to_date(cls, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31))

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches."""
        out, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out
