"""The ASGI application: Django for HTTP, Channels for the live board's WebSockets."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flipchart.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from board.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The consumer checks Origin itself: token clients may omit it (API.md).
        "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
    }
)
