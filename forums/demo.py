"""Demo data of the forums app (called by manage.py seed_demo)."""


def seed():
    """Filled in with the forums feature."""
