#!/usr/bin/env python
"""Django's command-line utility for the Sozialplanungsplattform."""

import os
import sys
from pathlib import Path


def main():
    # platform/ is a folder on the import path, not a package: a package named
    # "platform" would shadow the standard library module of that name.
    sys.path.insert(0, str(Path(__file__).resolve().parent / "platform"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
