"""The national default questionnaire (SIPAS), version 1, in Vietnamese and English."""
from django.db import migrations

# A frozen copy: later edits of surveys/questions_data.py must not change history.
TITLE = "Phiếu khảo sát sự hài lòng (SIPAS)"
QUESTIONS = [
    ("access", "rating", False,
     "Tiếp cận dịch vụ: thông tin, địa điểm, thời gian tiếp nhận thuận tiện, dễ tìm hiểu",
     "Access to the service: information, place and opening hours are convenient and easy to find"),
    ("procedure", "rating", False,
     "Thủ tục hành chính: hồ sơ, giấy tờ, thời hạn giải quyết được công khai, đơn giản, đúng quy định",
     "The procedure: required documents and processing time are published, simple and lawful"),
    ("staff", "rating", False,
     "Cán bộ, viên chức: lịch sự, tận tình, hướng dẫn rõ ràng, không gây phiền hà",
     "The staff: polite, helpful, gave clear guidance, caused no trouble"),
    ("result", "rating", False,
     "Kết quả giải quyết: đúng hẹn, đầy đủ, chính xác",
     "The result: on time, complete and correct"),
    ("feedback_handling", "rating", False,
     "Tiếp nhận, xử lý ý kiến góp ý, phản ánh, kiến nghị: dễ dàng, được trả lời kịp thời",
     "Handling of feedback: easy to send, answered in good time"),
    ("overall", "rating", True,
     "Nhìn chung, quý phụ huynh hài lòng với việc phục vụ của nhà trường ở mức nào?",
     "Overall, how satisfied are you with the school's service?"),
    ("comment", "text", False,
     "Ý kiến góp ý để nhà trường phục vụ tốt hơn",
     "Your suggestions to help the school serve you better"),
]


def create_default(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Question = apps.get_model("surveys", "Question")
    if Questionnaire.objects.filter(unit__isnull=True, version=1).exists():
        return
    q = Questionnaire.objects.create(unit=None, version=1, title=TITLE, is_active=True)
    Question.objects.bulk_create(
        Question(questionnaire=q, key=key, kind=kind, required=required, text_vi=vi, text_en=en, position=i)
        for i, (key, kind, required, vi, en) in enumerate(QUESTIONS, start=1)
    )


def remove_default(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Questionnaire.objects.filter(unit__isnull=True, version=1, responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(create_default, remove_default)]
