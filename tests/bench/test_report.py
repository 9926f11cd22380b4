"""The human table of bench/run.py, from a made-up run (the run itself is `make bench`)."""

from bench import run


def _results():
    page = {"url": "/forums/threads/1/", "concurrency": 8, "p50_ms": 30.0, "p95_ms": 60.0, "p99_ms": 80.0}
    return {
        "date": "2026-11-27T03:00:00+00:00",
        "machine": {
            "cpu": "Test CPU",
            "cores": 2,
            "memory_gb": 4.0,
            "python": "3.11.7",
            "postgresql": "psql 15",
            "redis": "Redis 7",
            "server": "uvicorn",
            "load_generator": "wrk",
        },
        "scale": 1.0,
        "seed_seconds": 99.9,
        "floor": {"rps": 2000.0, "p50_ms": 3.7, "p99_ms": 30.0, "member_rps": 1000.0, "member_p50_ms": 7.4},
        "pages": {
            "thread_first_page": {
                **page,
                "rps": 200.0,
                "errors": 0,
                "queries": 3,
                "bytes": 125944,
                "floor_fraction": 0.1,
                "member_floor_fraction": 0.2,
            }
        },
    }


def test_table_states_each_page_against_both_floors_and_keeps_the_notes(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "BASE_DIR", tmp_path)
    (tmp_path / "docs").mkdir()
    report = tmp_path / "docs" / "benchmarks.md"
    report.write_text("# Benchmarks\n\nold table\n\n<!-- notes -->\n## Notes on the measured run\n\nkept\n")

    run.write_markdown(_results())

    text = report.read_text()
    assert "**2000 req/s**, p50 3.7 ms; the same view with the bench member's session" in text
    assert "**1000 req/s**, p50 7.4 ms." in text
    assert "| thread_first_page | 8 | 200 | 30.0 | 60.0 | 80.0 | 0 | 3 | 125944 | 10 % | 20 % |" in text
    assert "old table" not in text
    assert text.endswith("<!-- notes -->\n## Notes on the measured run\n\nkept\n")
