from django.urls import include, path

from api.urls import api
from flipchart import health

urlpatterns = [
    path("api/v1/", api.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("accounts.urls")),
    path("", include("audits.urls")),
    path("guide/", include("guide.urls")),
    path("", include("board.urls")),
    path("", include("school.urls")),
    path("", include("reports.urls")),
]
