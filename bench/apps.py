from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Management commands for `make bench`: large seed data, the page plan, websocket/search/upload figures."""

    name = "bench"
    verbose_name = "Benchmarks"
