from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

api_v1 = [
    path("", include("core.api_urls")),
    path("", include("dossiers.api_urls")),
    path("", include("feedback.api_urls")),
    path("", include("kpi.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI sets inline styles; allowed on the docs page only.
    path(
        "docs/",
        csp_update({"style-src": [SELF, UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("", include("core.urls")),
    path("", include("dossiers.urls")),
    path("", include("surveys.urls")),
    path("", include("feedback.urls")),
    path("", include("kpi.urls")),
]
