from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from notifications.services import user_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Pushes "something new" to a member's open tabs. The browser then fetches the items
    through the JSON endpoint, which applies the policy at display time."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not await database_sync_to_async(lambda: user.is_member)():
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notify_new(self, event):
        await self.send_json({"type": "new", "ids": event["ids"]})

    async def notify_read(self, event):
        await self.send_json({"type": "read", "ids": event.get("ids", []), "unread": event.get("unread")})

    async def session_end(self, event):
        await self.close(code=4401)
