"""Runs last in ``seed_demo``: index everything the other seeders created."""

from search.services import rebuild_index


def seed():
    rebuild_index()
