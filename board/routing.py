"""WebSocket routes. The live board's consumer is added by the board feature."""

websocket_urlpatterns: list = []
