from django.urls import include, path

from feedback import feeds, views

app_name = "feedback"
urlpatterns = [
    # One prefix test for the section's pages, not one per page (Django tries patterns in order).
    # Public: docs/interfaces.md (/feedback/new/, /feedback/<code>/, /u/<slug>/feedback.atom).
    path("feedback/", include([
        path("new/", views.feedback_new, name="new"),
        # Staff
        path("", views.inbox, name="inbox"),
        path("inbox/<str:code>/", views.detail, name="detail"),
        path("inbox/<str:code>/publish/", views.publish, name="publish"),
        path("inbox/<str:code>/assign/", views.assign, name="assign"),
        path("inbox/<str:code>/note/", views.add_note, name="note"),
        path("inbox/<str:code>/complaint/", views.to_dossier, name="to-dossier"),
        path("inbox/<str:code>/attachments/<int:pk>/", views.attachment, name="attachment"),
        path("inbox/<str:code>/<str:action>/", views.act, name="act"),
        # Public again: the citizen's own item
        path("<str:code>/rate/<str:token>/", views.rate_answer, name="rate"),
        path("<str:code>/", views.feedback_track, name="track"),
    ])),
    path("u/<slug:slug>/feedback.atom", feeds.PublishedAnswersFeed(), name="feed"),
    path("u/<slug:slug>/feedback/", views.public_list, name="public-list"),
    path("u/<slug:slug>/feedback/<str:code>/", views.public_item, name="public-item"),
]
