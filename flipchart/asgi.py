"""The ASGI application: Django for HTTP, Channels for the live board's WebSockets."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flipchart.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from board.routing import websocket_urlpatterns  # noqa: E402

# Build the channel layer now, once. Built lazily, the first socket (on the event loop) and the
# first note's broadcast (in a request thread) could each build one at the same moment: that
# socket joined a layer nobody published to and never heard the board (tests/scale/test_faults.py).
get_channel_layer()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The consumer checks Origin itself: token clients may omit it (API.md).
        "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
    }
)
