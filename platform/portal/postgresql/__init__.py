"""Django's PostgreSQL backend with the pool's check of a connection from ``portal.dbpool``."""
