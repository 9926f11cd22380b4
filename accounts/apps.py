from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and members")

    def ready(self):
        from allauth.mfa.signals import authenticator_removed
        from django.db.models.signals import post_delete, post_save
        from django.urls import reverse

        from accounts.middleware import forget_mfa_check
        from accounts.models import User, user_scope
        from accounts.permissions import can_view_member
        from notifications.registry import register_target
        from pages.shared_reads import changed

        authenticator_removed.connect(forget_mfa_check, dispatch_uid="accounts.forget_mfa_check")

        # The signed-in member's row is kept by the process under its scope's generation
        # (accounts.models._user_by_pk).
        def user_changed(sender, instance, **kwargs):
            changed(user_scope(instance.pk))

        post_save.connect(user_changed, sender=User, weak=False, dispatch_uid="accounts.user-row-changed")
        post_delete.connect(user_changed, sender=User, weak=False, dispatch_uid="accounts.user-row-gone")

        def member_url(member):
            if member.status == User.Status.PENDING:
                return reverse("members:approval_queue")
            return reverse("members:detail", args=[member.pk])

        register_target(User, can_view=can_view_member, title=str, url=member_url, thread=lambda member: None)
