"""WSGI entry point (management tooling only; the portal is served over ASGI)."""

import os
import sys
from pathlib import Path

_BASE = Path(__file__).resolve().parent.parent.parent
# The project root holds accounts/, forums/, documents/; platform/ holds the core apps.
for _folder in (_BASE, _BASE / "platform"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
