"""Feedback API v1 (docs/interfaces.md): list and actions. Staff and principals act on their
own unit, an office account reads its units, another unit's feedback is a 404."""
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access, links
from core.api import ReadOnlyForOffice
from core.api_schema import documented
from feedback import services
from feedback.models import Feedback, FeedbackEvent


class FeedbackEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = FeedbackEvent
        fields = ["action", "at", "recorded_at", "actor", "from_status", "to_status"]


class FeedbackSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True)
    dossier = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    events = FeedbackEventSerializer(many=True, read_only=True)
    tracking_url = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "code", "unit", "kind", "status", "subject", "content", "name", "phone", "email", "consent_publish",
            "publishable", "received_at", "due_date", "due_at", "is_overdue", "assigned_to", "answer", "answered_at",
            "public_subject", "public_content", "public_answer", "published_at", "closed_at", "dossier", "events",
            "tracking_url", "public_url",
        ]

    def get_tracking_url(self, obj) -> str:
        return links.absolute_url(reverse("feedback:track", args=[obj.code]))

    def get_public_url(self, obj) -> str | None:
        if obj.published_at is None:
            return None
        return links.absolute_url(reverse("feedback:public-item", args=[obj.unit.slug, obj.code]))


FEEDBACK_EXAMPLE = {
    "code": "PAKN-260310-0001", "unit": "mn-tuoi-hong", "kind": "kien-nghi", "status": "answered",
    "subject": "Giờ đón trẻ", "content": "Đề nghị nhà trường mở cổng sớm hơn.", "name": "Trần Thị Bình",
    "phone": "0907654321", "email": "", "consent_publish": True, "publishable": True,
    "received_at": "2026-03-10T07:30:00+07:00", "due_date": "2026-03-17", "due_at": "2026-03-17T17:00:00+07:00",
    "is_overdue": False, "assigned_to": "staff", "answer": "Kính gửi bà, nhà trường mở cổng từ 6 giờ 30.",
    "answered_at": "2026-03-12T10:00:00+07:00", "public_subject": "Giờ đón trẻ", "public_content": "",
    "public_answer": "", "published_at": None, "closed_at": None, "dossier": None, "events": [],
    "tracking_url": "https://cchc.example.vn/feedback/PAKN-260310-0001/", "public_url": None,
}


def _queryset(user):
    return access.scoped(
        Feedback.objects.select_related("unit", "assigned_to", "dossier").prefetch_related("events__actor"), user
    )


class FeedbackList(generics.ListAPIView):
    serializer_class = FeedbackSerializer

    @documented(
        summary="Phản ánh, kiến nghị / Feedback",
        vi="Phản ánh, kiến nghị gửi tới các đơn vị mà tài khoản được xem, lọc theo đơn vị và trạng thái.",
        en="Feedback sent to the units the account may read, filtered by unit and status.",
        parameters=[
            OpenApiParameter("unit", str, description="Mã đơn vị (slug) / unit slug"),
            OpenApiParameter("status", str, enum=Feedback.Status.values),
        ],
        response_example=FEEDBACK_EXAMPLE,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = access.narrowed_to_unit(_queryset(self.request.user), self.request)
        status_ = self.request.query_params.get("status")
        if status_:
            if status_ not in Feedback.Status.values:
                raise serializers.ValidationError({"status": [_("Unknown status.")]})
            qs = qs.filter(status=status_)
        return qs.order_by("-received_at", "-id")


@extend_schema_view(get=documented(
    summary="Một phản ánh / One feedback item",
    vi="Phản ánh, kiến nghị theo mã, với lịch sử xử lý.",
    en="A feedback item by its code, with its history.",
    response_example=FEEDBACK_EXAMPLE,
))
class FeedbackDetail(generics.RetrieveAPIView):
    serializer_class = FeedbackSerializer
    lookup_field = "code"

    def get_object(self):
        return access.get_object_for_user(_queryset(self.request.user), self.request.user, code=self.kwargs["code"])


class FeedbackActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=services.ACTIONS)
    answer = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    at = serializers.DateTimeField(required=False)


class FeedbackActions(APIView):
    permission_classes = [IsAuthenticated, ReadOnlyForOffice]

    @documented(
        summary="Xử lý phản ánh / Act on feedback",
        vi="Một bước xử lý: start, answer (kèm câu trả lời), publish, close. Trạng thái không cho phép thì trả 409.",
        en="One handling step: start, answer (with the answer), publish, close. A state that does not allow it "
           "answers 409.",
        request=FeedbackActionSerializer,
        responses={200: FeedbackSerializer},
        request_example={"action": "answer", "answer": "Kính gửi ông/bà, nhà trường đã bố trí thêm giáo viên đón trẻ."},
        response_example=FEEDBACK_EXAMPLE,
    )
    def post(self, request, code):
        feedback = access.get_object_for_user(Feedback.objects.all(), request.user, write=True, code=code)
        body = FeedbackActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            feedback = services.feedback_transition(
                feedback=feedback, action=data["action"], actor=request.user, at=data.get("at"), answer=data.get("answer", ""),
            )
        except services.TransitionError as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:  # the time of the action (core/action_time.py)
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response(FeedbackSerializer(_queryset(request.user).get(pk=feedback.pk)).data)
