from django.db.backends.postgresql import base

from portal.dbpool import check_if_idle, note_return


class DatabaseWrapper(base.DatabaseWrapper):
    """Django makes the pool with psycopg_pool's check of every checkout (CONN_HEALTH_CHECKS)
    or none at all; this pool (made with none) checks a connection only when it is new or has
    been idle (``portal.dbpool``), and notes when each connection comes back."""

    def __init__(self, settings_dict, *args, **kwargs):
        pool = settings_dict.get("OPTIONS", {}).get("pool")
        if pool:
            options = {} if pool is True else pool
            settings_dict["OPTIONS"]["pool"] = {**options, "reset": note_return}
        super().__init__(settings_dict, *args, **kwargs)

    @property
    def pool(self):
        pool = super().pool
        if pool is not None and pool._check is not check_if_idle:
            pool._check = check_if_idle  # what psycopg_pool was given as check=
        return pool
