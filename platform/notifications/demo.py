"""Demo data of the notifications app (called by manage.py seed_demo)."""


def seed():
    """Filled in with the notifications feature."""
