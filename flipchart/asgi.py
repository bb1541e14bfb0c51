"""The ASGI application: Django for HTTP, Channels for the live board's WebSockets."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flipchart.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from board.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {"http": django_asgi_app, "websocket": URLRouter(websocket_urlpatterns)}
)
