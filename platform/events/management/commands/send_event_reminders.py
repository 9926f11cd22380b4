from django.core.management.base import BaseCommand

from events.services import send_event_reminders


class Command(BaseCommand):
    help = "Reminds registered participants of dates starting within the next 24 hours (safe to run repeatedly)."

    def handle(self, *args, **options):
        sent = send_event_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
