"""Demo data of this app for `manage.py seed_demo` (idempotent): a year of feedback
to the unit in every state, written through the real services."""
import datetime
import random

from django.utils import timezone

from feedback import services
from feedback.models import Feedback

# (kind, subject, content, answer)
SAMPLES = [
    ("kien-nghi", "Đề nghị làm thêm mái che khu sân chơi",
     "Sân chơi buổi trưa rất nắng, các cháu khó ra chơi. Đề nghị nhà trường làm thêm mái che.",
     "Nhà trường đã đưa hạng mục mái che sân chơi vào kế hoạch sửa chữa hè; dự kiến hoàn thành trước năm học mới."),
    ("phan-anh", "Giờ đón trẻ buổi chiều ùn tắc trước cổng",
     "Khoảng 16 giờ 30 phụ huynh đón trẻ đông, xe đậu tràn ra đường gây ùn tắc.",
     "Nhà trường đã phân công bảo vệ hướng dẫn đậu xe và mở thêm cổng phụ từ 16 giờ 15."),
    ("gop-y", "Góp ý thực đơn bán trú",
     "Đề nghị bổ sung thêm rau xanh và trái cây trong thực đơn hằng tuần.",
     "Cảm ơn quý phụ huynh. Thực đơn từ tháng sau có thêm rau xanh mỗi bữa và trái cây ba lần mỗi tuần."),
    ("kien-nghi", "Đề nghị công khai các khoản thu đầu năm",
     "Phụ huynh mong nhà trường niêm yết rõ các khoản thu và mức thu.",
     "Các khoản thu đã được niêm yết tại bảng tin và trên trang của trường theo quy định."),
    ("phan-anh", "Thời gian chờ tiếp nhận hồ sơ chuyển trường",
     "Tôi phải chờ khá lâu khi nộp hồ sơ chuyển trường cho con.",
     "Nhà trường đã bố trí thêm một cán bộ tiếp nhận hồ sơ vào các buổi sáng đầu tuần."),
    ("gop-y", "Góp ý về sổ liên lạc điện tử",
     "Đề nghị thông báo lịch hoạt động của lớp qua sổ liên lạc điện tử sớm hơn.",
     "Giáo viên các lớp sẽ gửi lịch hoạt động tuần vào chiều thứ Sáu của tuần trước."),
]


def seed(*, unit, users, today):
    if Feedback.objects.filter(unit=unit).exists():
        return "feedback: already seeded"
    # The same year of activity on every machine; each school its own.
    rng = random.Random("feedback-demo" if unit.slug == "mn-tuoi-hong" else f"feedback-{unit.slug}")
    ratings = random.Random(f"feedback-ratings-{unit.slug}")  # apart, so the year above stays the same
    staff, principal = users.get("staff"), users.get("principal")
    now = timezone.now()
    created = 0
    day = today - datetime.timedelta(days=365)
    while day <= today:
        day += datetime.timedelta(days=rng.choice([3, 4, 5, 6]))
        if day > today:
            break
        kind, subject, content, answer = rng.choice(SAMPLES)
        received_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(7, 16), rng.randint(0, 59))))
        if received_at > now:
            received_at = now - datetime.timedelta(minutes=30)
        consent = rng.random() > 0.1
        feedback = services.feedback_receive(
            unit=unit, kind=kind, subject=subject, content=content, name="Phụ huynh " + rng.choice("ABCDEGHKLMNPT"),
            phone=f"09{rng.randint(10000000, 99999999)}", consent_publish=consent, received_at=received_at,
        )
        created += 1
        age = (today - day).days

        def step(action, hours, **kw):
            at = min(received_at + datetime.timedelta(hours=hours), now)
            return services.feedback_transition(feedback=feedback, action=action, actor=staff, at=at, **kw)

        if age < 3:
            continue  # new
        if staff is not None:
            services.feedback_assign(
                feedback=feedback, assignee=staff, actor=principal, at=min(received_at + datetime.timedelta(hours=1), now)
            )
        feedback = step("start", 2)
        if age < 8 or rng.random() < 0.04:
            continue  # in progress (a few left overdue)
        # most answered in time, some late
        # A year of history: its senders are not sent the answers again.
        feedback = step("answer", rng.choice([20, 30, 50, 70, 100, 200]), answer=answer, notify_sender=False)
        if ratings.random() < 0.6:  # most senders rate the answer
            services.feedback_rate(feedback=feedback, score=ratings.choices([5, 4, 3, 2], weights=[55, 30, 10, 5])[0])
        if age < 12 or not consent:
            if not consent and rng.random() < 0.5:
                step("close", 240)
            continue
        feedback = step("publish", 250)
        if rng.random() < 0.1:
            step("close", 400)
    # Always something waiting in the inbox this morning.
    services.feedback_receive(
        unit=unit, kind="phan-anh", subject="Đề nghị kiểm tra đèn chiếu sáng hành lang",
        content="Đèn hành lang tầng 2 bị hỏng, buổi chiều khá tối.", name="Phụ huynh Q", consent_publish=True,
        received_at=now - datetime.timedelta(hours=1),
    )
    return f"feedback: {created + 1} items over a year"
