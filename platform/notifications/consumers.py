from channels.generic.websocket import AsyncJsonWebsocketConsumer

from notifications.services import CLOSE_SIGNED_OUT, user_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Tells a member's open tabs "something new" or "read". The browser then fetches the
    items through the JSON feed, which applies the policy at display time. The consumer
    itself never touches the database after the handshake (the auth middleware has
    loaded the user), so idle sockets cost nothing but their group membership."""

    group = None
    session_key = ""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_member:
            await self.close()
            return
        session = self.scope.get("session")
        self.session_key = getattr(session, "session_key", None) or ""
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

    async def receive_json(self, content, **kwargs):
        # The browser only listens; a keep-alive "ping" gets a "pong".
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def notify_new(self, event):
        await self.send_json({"type": "new", "ids": event["ids"]})

    async def notify_read(self, event):
        await self.send_json(
            {"type": "read", "ids": event.get("ids", []), "all": event.get("all", False), "unread": event.get("unread")}
        )

    async def session_end(self, event):
        if event.get("session") and event["session"] != self.session_key:
            return
        await self.close(code=event.get("code") or CLOSE_SIGNED_OUT)
