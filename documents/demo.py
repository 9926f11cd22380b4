"""Demo data of the documents app (called by manage.py seed_demo)."""


def seed():
    """Filled in with the documents feature."""
