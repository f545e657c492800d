from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views
from core.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon),
    path("healthz", views.healthz, name="healthz"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications-read"),
    path("u/<slug:slug>/", views.unit_public, name="unit-public"),
    path("i18n/language/", views.switch_language, name="switch-language"),
    # One prefix test for the section's pages, not one per page (Django tries patterns in order).
    path("accounts/", include([
        path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
        path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    ])),
]
