"""Demo data of this app for `manage.py seed_demo` (idempotent): a kindergarten's
procedure catalogue and a year of dossiers in every state, written in bulk.

The one place outside services.py that sets a dossier's status: a year of history is
composed here as finished rows (with their events) and bulk-inserted, because replaying
hundreds of transitions one by one through the service would make `make run` slow. Live
dossiers only ever change state through ``dossiers.services.dossier_transition``."""
import datetime
import random

from django.utils import timezone

from core import workdays
from core.models import Field
from dossiers.models import Apology, DailySequence, Dossier, DossierEvent, Procedure
from dossiers.services import dossier_code, timeliness_of

CATALOGUE = [
    # code, field, name, working days, clock on supplement, documents, fee, legal basis
    ("MN-TS-01", "tuyen-sinh", "Tuyển sinh trẻ vào nhà trẻ, mẫu giáo", 5, "restart",
     ["Đơn xin nhập học", "Bản sao giấy khai sinh", "Giấy xác nhận thông tin cư trú", "Sổ theo dõi sức khỏe trẻ"],
     "Không", "Thông tư 52/2020/TT-BGDĐT (Điều lệ trường mầm non)"),
    ("MN-TS-02", "tuyen-sinh", "Tiếp nhận trẻ vào học giữa năm học", 3, "restart",
     ["Đơn xin nhập học", "Bản sao giấy khai sinh", "Giấy xác nhận thông tin cư trú"], "Không",
     "Thông tư 52/2020/TT-BGDĐT"),
    ("MN-CT-01", "chuyen-truong", "Chuyển trường đối với trẻ mầm non", 3, "restart",
     ["Đơn xin chuyển trường", "Giấy giới thiệu chuyển trường", "Sổ theo dõi sức khỏe trẻ"], "Không",
     "Quyết định 2108/QĐ-BGDĐT (TTHC lĩnh vực giáo dục mầm non)"),
    ("MN-XN-01", "xac-nhan", "Cấp giấy xác nhận trẻ đang học tại trường", 1, "restart",
     ["Đơn đề nghị xác nhận"], "Không", "Luật Giáo dục 2019"),
    ("MN-XN-02", "xac-nhan", "Xác nhận hoàn thành chương trình giáo dục mầm non", 2, "restart",
     ["Đơn đề nghị xác nhận", "Bản sao giấy khai sinh"], "Không", "Thông tư 52/2020/TT-BGDĐT"),
    ("MN-HP-01", "hoc-phi", "Miễn, giảm học phí đối với trẻ mầm non", 10, "pause",
     ["Đơn đề nghị miễn, giảm học phí", "Bản sao giấy chứng nhận hộ nghèo, cận nghèo hoặc giấy tờ chứng minh đối tượng"],
     "Không", "Nghị định 81/2021/NĐ-CP; Nghị định 97/2023/NĐ-CP"),
    ("MN-HP-02", "hoc-phi", "Hỗ trợ chi phí học tập cho trẻ mẫu giáo", 10, "pause",
     ["Đơn đề nghị hỗ trợ chi phí học tập", "Bản sao giấy tờ chứng minh đối tượng"], "Không",
     "Nghị định 81/2021/NĐ-CP"),
    ("MN-HP-03", "hoc-phi", "Hỗ trợ ăn trưa cho trẻ mẫu giáo", 10, "pause",
     ["Đơn đề nghị hỗ trợ tiền ăn trưa", "Bản sao giấy tờ chứng minh đối tượng"], "Không",
     "Nghị định 105/2020/NĐ-CP"),
    ("MN-HN-01", "giao-duc-hoa-nhap", "Tiếp nhận trẻ khuyết tật trí tuệ học hòa nhập", 7, "restart",
     ["Đơn đề nghị học hòa nhập", "Giấy xác nhận mức độ khuyết tật", "Bản sao giấy khai sinh"], "Không",
     "Thông tư 03/2018/TT-BGDĐT (giáo dục hòa nhập người khuyết tật)"),
    ("MN-HN-02", "giao-duc-hoa-nhap", "Xây dựng kế hoạch giáo dục cá nhân cho trẻ khuyết tật", 10, "restart",
     ["Đơn đề nghị", "Hồ sơ đánh giá của cơ sở y tế hoặc trung tâm hỗ trợ giáo dục hòa nhập"], "Không",
     "Thông tư 03/2018/TT-BGDĐT"),
    ("MN-XD-01", "xu-ly-don", "Xử lý đơn kiến nghị, phản ánh của phụ huynh", 10, "restart",
     ["Đơn kiến nghị, phản ánh"], "Không", "Nghị định 20/2008/NĐ-CP; Luật Tiếp công dân 2013"),
    ("MN-KN-01", "khieu-nai-to-cao", "Giải quyết khiếu nại lần đầu", 30, "pause",
     ["Đơn khiếu nại", "Tài liệu, chứng cứ kèm theo (nếu có)"], "Không", "Luật Khiếu nại 2011"),
    ("MN-TC-01", "khieu-nai-to-cao", "Giải quyết tố cáo", 30, "pause",
     ["Đơn tố cáo", "Tài liệu, chứng cứ kèm theo (nếu có)"], "Không", "Luật Tố cáo 2018"),
]

# Procedures open to online submission in the demo (docs/domain/online-services.md): the
# certificates end to end, enrolment and tuition support partly online.
ONLINE = {"MN-XN-01": "full", "MN-XN-02": "full", "MN-TS-01": "partial", "MN-HP-01": "partial", "MN-HP-02": "partial"}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Thị", "Văn", "Minh", "Ngọc", "Thanh", "Hoài", "Quốc", "Thu", "Gia", "Bảo"]
GIVEN = ["An", "Bình", "Châu", "Dung", "Hà", "Hạnh", "Hòa", "Hương", "Khánh", "Lan", "Linh", "Mai", "Nam", "Nga",
         "Phúc", "Quân", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]
STREETS = ["Nguyễn Du", "Lê Thánh Tôn", "Hai Bà Trưng", "Đinh Tiên Hoàng", "Trần Hưng Đạo", "Cô Giang", "Nguyễn Trãi"]
DELAY_REASONS = [
    "Cần xác minh thêm thông tin với Ủy ban nhân dân phường.",
    "Hồ sơ phải lấy ý kiến của Phòng Giáo dục và Đào tạo.",
    "Cán bộ phụ trách nghỉ ốm đột xuất, chưa kịp bàn giao.",
]


def seed_catalogue(unit) -> list[Procedure]:
    fields = {f.key: f for f in Field.objects.all()}
    existing = set(Procedure.objects.filter(unit=unit).values_list("code", flat=True))
    Procedure.objects.bulk_create([
        Procedure(unit=unit, code=code, field=fields[key], name=name, processing_days=days, clock_on_supplement=clock,
                  required_documents=docs, fee=fee, legal_basis=basis, is_published=True, online=ONLINE.get(code, "none"))
        for code, key, name, days, clock, docs, fee, basis in CATALOGUE if code not in existing
    ])
    return list(Procedure.objects.filter(unit=unit))


def seed(*, unit, users, today):
    procedures = seed_catalogue(unit)
    if Dossier.objects.filter(unit=unit).exists():
        return f"dossiers: catalogue of {len(procedures)} procedures, dossiers already there"
    count = seed_dossiers(unit=unit, procedures=procedures, staff=users.get("staff"),
                          principal=users.get("principal"), today=today)
    return f"dossiers: {len(procedures)} procedures, {count} dossiers over a year"


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed_dossiers(*, unit, procedures, staff, principal, today) -> int:
    # Kế hoạch số 16/KH-MNTH for the kindergarten; each other school its own year.
    rng = random.Random(16 if unit.slug == "mn-tuoi-hong" else f"dossiers-{unit.slug}")
    start = today - datetime.timedelta(days=365)
    cal = workdays.WorkCalendar.load(start - datetime.timedelta(days=40), today + datetime.timedelta(days=120))
    now = timezone.now()
    weights = [8, 3, 2, 6, 2, 4, 2, 2, 1, 1, 1, 1, 1]
    dossiers, plans, sequences = [], [], []
    day = start
    while day <= today:
        if cal.is_working_day(day):
            n = rng.choice([1, 2, 2, 3, 3, 4]) if day.month in (5, 6, 7, 8) else rng.choice([0, 1, 1, 2, 2, 3])
            if (today - day).days < 5:
                n = max(n, 2)  # the desk is busy this week: dossiers in every state
            for number in range(1, n + 1):
                procedure = rng.choices(procedures, weights=weights[: len(procedures)] or None)[0]
                received = _at(day, 7 + rng.randint(0, 8), rng.choice([0, 10, 20, 30, 40, 50]))
                if received > now:
                    received = now - datetime.timedelta(minutes=5 * (n - number + 1))
                due = cal.add_working_days(day, procedure.processing_days)
                name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                dossiers.append(Dossier(
                    unit=unit, procedure=procedure, field_id=procedure.field_id,
                    code=dossier_code(unit=unit, day=day, number=number), applicant_name=name,
                    applicant_phone=f"09{rng.randint(10000000, 99999999)}",
                    applicant_address=f"{rng.randint(1, 250)} {rng.choice(STREETS)}, Quận 1",
                    applicant_id_number=f"0792{rng.randint(10000000, 99999999)}",
                    request_summary=procedure.name,
                    documents=[{"name": d, "kind": "copy", "count": 1} for d in procedure.required_documents],
                    processing_days=procedure.processing_days, received_at=received, received_by=staff,
                    assigned_to=staff, due_date=due, due_at=workdays.due_at(due, unit.closing_time),
                    register_book=f"{day.year}", register_line=len(dossiers) + 1,
                ))
                plans.append(_plan(rng, cal, day, due, today))
            if n:
                sequences.append(DailySequence(unit=unit, day=day, last=n))
        day += datetime.timedelta(days=1)
    _apply_plans(dossiers, plans, unit, staff, principal, now)
    Dossier.objects.bulk_create(dossiers, batch_size=500)
    DailySequence.objects.bulk_create(sequences, ignore_conflicts=True)
    events, apologies = [], []
    for dossier, plan in zip(dossiers, plans):
        for action, at, frm, to, note, actor in plan["events"]:
            events.append(DossierEvent(dossier=dossier, action=action, from_status=frm, to_status=to,
                                       at=at, recorded_at=at, actor=actor, note=note))
        if plan.get("apology"):
            issued, new_date, reason = plan["apology"]
            apologies.append(Apology(
                dossier=dossier, unit=unit, issued_at=issued, recorded_at=issued, reason=reason, new_due_date=new_date,
                new_due_at=workdays.due_at(new_date, unit.closing_time),
                timely=issued.date() <= cal.previous_working_day(dossier.due_date), signed_by=principal,
            ))
    DossierEvent.objects.bulk_create(events, batch_size=1000)
    Apology.objects.bulk_create(apologies, batch_size=500)
    return len(dossiers)


def _plan(rng, cal, day, due, today) -> dict:
    """What happens to a dossier received on ``day``: its fate and the working day of each step."""
    age = cal.working_days_between(day, today)
    roll = rng.random()
    if roll < 0.04:
        fate = "rejected"
    elif roll < 0.07:
        fate = "withdrawn"
    else:
        fate = "returned"
    # How long handling takes, relative to the due date (most early or on time; some late).
    lateness = rng.choices([-2, -1, 0, 1, 3], weights=[45, 25, 18, 8, 4])[0]
    recent = age < 12
    stuck = recent and due < today and fate == "returned" and rng.random() < 0.5  # still open, overdue
    if stuck:
        lateness = 5
    apology = lateness > 0 and rng.random() < (0.5 if stuck else 0.7)
    supplement = recent and not stuck and due >= today and rng.random() < 0.3
    return {"age": age, "fate": fate, "lateness": lateness, "wants_apology": apology, "supplement": supplement,
            "stuck": stuck, "hold_result": age < 8 and rng.random() < 0.5,
            "day": day, "due": due, "hour": rng.randint(8, 16), "reason": rng.choice(DELAY_REASONS)}


def _apply_plans(dossiers, plans, unit, staff, principal, now):
    today = timezone.localdate(now)
    cal = workdays.WorkCalendar.load(today - datetime.timedelta(days=420), today + datetime.timedelta(days=120))
    for dossier, plan in zip(dossiers, plans):
        received = dossier.received_at
        events = [("receive", received, "", "received", "", staff)]
        start_day = cal.add_working_days(plan["day"], 1) if plan["age"] >= 1 else None
        done_day = cal.add_working_days(plan["due"], plan["lateness"]) if plan["lateness"] > 0 else (
            cal.add_working_days(plan["day"], max(0, dossier.processing_days + plan["lateness"])))
        if done_day <= plan["day"]:
            done_day = cal.add_working_days(plan["day"], 1)
        apology_day = cal.previous_working_day(plan["due"]) if plan["lateness"] == 1 else plan["due"]
        plan["events"] = events
        plan["apology"] = None

        def step(action, day, frm, to, note="", hour=None):
            at = _at(day, hour or plan["hour"], 15)
            at = max(at, events[-1][1] + datetime.timedelta(minutes=10))
            events.append((action, at, frm, to, note, staff))
            return at

        if plan["fate"] == "rejected" and start_day and start_day < today:
            step("reject", plan["day"], "received", "rejected", "Hồ sơ không thuộc thẩm quyền giải quyết của nhà trường.")
            dossier.status = Dossier.Status.REJECTED
            continue
        if start_day is None or start_day > today:
            continue  # received today: still waiting
        step("start", start_day, "received", "processing")
        dossier.status = Dossier.Status.PROCESSING
        if plan["fate"] == "withdrawn":
            step("withdraw", start_day, "processing", "withdrawn", "Phụ huynh xin rút hồ sơ.")
            dossier.status = Dossier.Status.WITHDRAWN
            continue
        if plan["supplement"]:
            step("request_supplement", start_day, "processing", "awaiting_supplement", "Bổ sung bản sao giấy khai sinh.")
            dossier.status = Dossier.Status.AWAITING_SUPPLEMENT
            continue
        if plan["lateness"] > 0 and plan["wants_apology"] and apology_day <= today:
            issued = _at(apology_day, 10)
            issued = max(issued, events[-1][1] + datetime.timedelta(minutes=10))
            if issued <= now:
                new_date = cal.add_working_days(plan["due"], plan["lateness"] + 1)
                plan["apology"] = (issued, new_date, plan["reason"])
                events.append(("apologize", issued, "processing", "processing",
                               f"{plan['reason']} — {new_date:%d/%m/%Y}", principal))
        if plan["stuck"] or done_day > today:
            continue  # still being handled (overdue if the due date has passed)
        at = step("complete", done_day, "processing", "completed")
        dossier.status = Dossier.Status.COMPLETED
        dossier.completed_at = at
        dossier.timeliness = timeliness_of(completed_on=done_day, due_date=dossier.due_date)
        return_day = cal.add_working_days(done_day, 1)
        if return_day < today and not plan["hold_result"]:
            dossier.returned_at = step("return", return_day, "completed", "returned")
            dossier.status = Dossier.Status.RETURNED
        if dossier.due_at < now and dossier.timeliness == Dossier.Timeliness.LATE:
            dossier.overdue_at = dossier.due_at

