from django.urls import path

from feedback import feeds, views

app_name = "feedback"
urlpatterns = [
    # Public (CONTRACT.md: /feedback/new/, /feedback/<code>/, /u/<slug>/feedback.atom)
    path("feedback/new/", views.feedback_new, name="new"),
    path("u/<slug:slug>/feedback.atom", feeds.PublishedAnswersFeed(), name="feed"),
    path("u/<slug:slug>/feedback/", views.public_list, name="public-list"),
    path("u/<slug:slug>/feedback/<str:code>/", views.public_item, name="public-item"),
    # Staff
    path("feedback/", views.inbox, name="inbox"),
    path("feedback/inbox/<str:code>/", views.detail, name="detail"),
    path("feedback/inbox/<str:code>/publish/", views.publish, name="publish"),
    path("feedback/inbox/<str:code>/assign/", views.assign, name="assign"),
    path("feedback/inbox/<str:code>/note/", views.add_note, name="note"),
    path("feedback/inbox/<str:code>/complaint/", views.to_dossier, name="to-dossier"),
    path("feedback/inbox/<str:code>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("feedback/inbox/<str:code>/<str:action>/", views.act, name="act"),
    path("feedback/<str:code>/rate/<str:token>/", views.rate_answer, name="rate"),
    path("feedback/<str:code>/", views.feedback_track, name="track"),
]
