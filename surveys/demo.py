"""Demo data of this app for `manage.py seed_demo` (idempotent): a year of anonymous
responses with a believable spread — mostly 4–5, some 3, a few 1–2 — across the
service areas, from dossier surveys and open surveys."""
import datetime
import random

from django.utils import timezone

from core.models import Field
from surveys.models import FACTORS, Response
from surveys.selectors import active_questionnaire

# area key: (weight, share of answers that come from dossier surveys)
AREAS = {
    "cham-soc-giao-duc": (40, 0.0),
    "giao-duc-hoa-nhap": (12, 0.0),
    "tuyen-sinh": (15, 0.7),
    "xac-nhan": (10, 0.8),
    "hoc-phi": (8, 0.7),
    "chuyen-truong": (8, 0.7),
    "xu-ly-don": (4, 0.6),
    "khieu-nai-to-cao": (3, 0.6),
}
OVERALL = {5: 60, 4: 32, 3: 5, 2: 2, 1: 1}
COMMENTS = {
    "good": [
        "Cô giáo rất tận tình, bé đi học về kể chuyện vui vẻ.",
        "Thủ tục nhanh gọn, cán bộ hướng dẫn rõ ràng.",
        "Cảm ơn nhà trường đã hỗ trợ gia đình làm hồ sơ miễn học phí.",
        "Bữa ăn của bé đa dạng, thực đơn được công khai hằng tuần.",
        "Nhà trường thông báo kịp thời qua Zalo, phụ huynh nắm được thông tin.",
    ],
    "mixed": [
        "Mong nhà trường bố trí thêm chỗ để xe cho phụ huynh vào giờ đón trẻ.",
        "Giờ tiếp nhận hồ sơ nên kéo dài thêm buổi chiều.",
        "Nên niêm yết rõ hơn danh mục giấy tờ cần nộp.",
    ],
    "bad": [
        "Phải chờ khá lâu mới được tiếp nhận hồ sơ.",
        "Kết quả trả trễ hẹn, chưa được thông báo trước.",
    ],
}


def _rating(rng, overall):
    return max(1, min(5, overall + rng.choice((-1, 0, 0, 0, 0, 1))))


def seed(*, unit, users, today):
    if Response.objects.filter(unit=unit).exists():
        return "surveys: responses already there"
    questionnaire = active_questionnaire(unit=unit)
    areas = {f.key: f for f in Field.objects.filter(key__in=AREAS, is_survey_area=True)}
    keys = [k for k in AREAS if k in areas]
    weights = [AREAS[k][0] for k in keys]
    rng = random.Random(f"surveys-{unit.pk}")
    tz = timezone.get_current_timezone()
    now = timezone.now()
    rows = []
    for days_ago in range(365, -1, -1):
        day = today - datetime.timedelta(days=days_ago)
        weekend = day.weekday() >= 5
        summer = day.month in (6, 7)
        per_day = rng.choice((0, 0, 1) if weekend else ((0, 1, 1, 2) if summer else (0, 1, 2, 2, 3, 4)))
        for _ in range(per_day):
            key = rng.choices(keys, weights)[0]
            overall = rng.choices(list(OVERALL), list(OVERALL.values()))[0]
            at = datetime.datetime.combine(day, datetime.time(rng.randint(7, 18)), tzinfo=tz)
            if at > now:
                continue
            source = Response.Source.DOSSIER if rng.random() < AREAS[key][1] else Response.Source.OPEN
            factors = {f: _rating(rng, overall) for f in FACTORS}
            if rng.random() < 0.3:
                factors["feedback_handling"] = None  # never sent feedback: left blank
            if source == Response.Source.OPEN and key in ("cham-soc-giao-duc", "giao-duc-hoa-nhap"):
                factors["procedure"] = None if rng.random() < 0.5 else factors["procedure"]
            comment = ""
            if rng.random() < 0.12:
                mood = "good" if overall >= 4 else ("mixed" if overall == 3 else "bad")
                comment = rng.choice(COMMENTS[mood])
            handled = comment and days_ago > 30 and rng.random() < 0.8
            rows.append(Response(
                unit=unit, questionnaire=questionnaire, source=source, area=areas[key], overall=overall,
                comment=comment, submitted_at=at, **factors,
                comment_handled_at=at + datetime.timedelta(days=rng.randint(1, 5)) if handled else None,
                comment_handled_by=users.get("principal") if handled else None,
            ))
    Response.objects.bulk_create(rows, batch_size=1000)
    satisfied = sum(1 for r in rows if r.overall >= 4)
    return f"surveys: {len(rows)} responses over a year ({satisfied * 100 / max(len(rows), 1):.1f}% satisfied)"
