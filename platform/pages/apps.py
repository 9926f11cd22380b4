from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Pages and operations")

    def ready(self):
        from pages import signals  # noqa: F401 - connects the audit receivers
        from pages.templatetags.engine import install_translate

        install_translate()
