"""Demo workspaces: the programmes from the domain description."""


def seed():
    pass
