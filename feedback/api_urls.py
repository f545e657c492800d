from django.urls import path

from feedback import api

urlpatterns = [
    path("feedback/", api.FeedbackList.as_view(), name="api-feedback-list"),
    path("feedback/<str:code>/", api.FeedbackDetail.as_view(), name="api-feedback-detail"),
    path("feedback/<str:code>/actions/", api.FeedbackActions.as_view(), name="api-feedback-actions"),
]
