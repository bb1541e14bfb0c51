"""WebSocket routes."""

from django.urls import path

from board.consumers import BoardConsumer

websocket_urlpatterns = [
    path("ws/audits/<int:audit>/", BoardConsumer.as_asgi()),
]
