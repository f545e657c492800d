"""Feedback API v1 (CONTRACT.md): list and actions. Staff and principals act on their
own unit, an office account reads its units, another unit's feedback is a 404."""
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access
from core.api import ReadOnlyForOffice
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
        return f"{settings.SITE_URL}{reverse('feedback:track', args=[obj.code])}"

    def get_public_url(self, obj) -> str | None:
        if obj.published_at is None:
            return None
        return f"{settings.SITE_URL}{reverse('feedback:public-item', args=[obj.unit.slug, obj.code])}"


def _queryset(user):
    return access.scoped(
        Feedback.objects.select_related("unit", "assigned_to", "dossier").prefetch_related("events__actor"), user
    )


class FeedbackList(generics.ListAPIView):
    serializer_class = FeedbackSerializer

    @extend_schema(parameters=[
        OpenApiParameter("unit", str, description="unit slug"),
        OpenApiParameter("status", str, enum=Feedback.Status.values),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = _queryset(self.request.user)
        unit = self.request.query_params.get("unit")
        if unit:
            qs = qs.filter(unit=access.get_unit_for_user(self.request.user, unit))
        status_ = self.request.query_params.get("status")
        if status_:
            if status_ not in Feedback.Status.values:
                raise serializers.ValidationError({"status": [_("Unknown status.")]})
            qs = qs.filter(status=status_)
        return qs.order_by("-received_at", "-id")


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

    @extend_schema(
        request=FeedbackActionSerializer,
        responses={200: FeedbackSerializer, 409: OpenApiResponse(description="transition not allowed")},
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
        return Response(FeedbackSerializer(_queryset(request.user).get(pk=feedback.pk)).data)
