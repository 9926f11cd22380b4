from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from documents.models import Document
        from documents.permissions import can_view_document
        from notifications.registry import register_kind, register_target

        register_target(
            Document,
            can_view=can_view_document,
            title=lambda document: document.title,
            url=lambda document: document.get_absolute_url(),
            queryset=lambda qs: qs.select_related("workspace"),
        )
        register_kind("document_new", _("New document in one of your workspaces"))
        register_kind("document_version", _("New version of a document in one of your workspaces"))
