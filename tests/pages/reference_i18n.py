"""Django's ``i18n`` template library as Django ships it, its ``{% translate %}`` not the
portal's (``pages.templatetags.engine.install_translate``): the reference in the tests."""

from django import template
from django.templatetags import i18n

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)
register.tag("translate", i18n.do_translate)
register.tag("trans", i18n.do_translate)
