from django.core.management.base import BaseCommand

from accounts.privacy import apply_retention


class Command(BaseCommand):
    help = (
        "Warn members inactive for PRIVACY_WARN_INACTIVE_MONTHS by email (once) and deactivate warned "
        "members inactive for PRIVACY_DEACTIVATE_INACTIVE_MONTHS. Idempotent; run daily."
    )

    def handle(self, *args, **options):
        result = apply_retention()
        self.stdout.write(f"Warned {result['warned']} member(s), deactivated {result['deactivated']} member(s).")
