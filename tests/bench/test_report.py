"""The human table of bench/run.py, from a made-up run (the run itself is `make bench`)."""

from bench import run, targets


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


def _full_results(**changes):
    results = _results()
    results["search"] = {
        "p95_ms": 32.0,
        "suggest_p95_ms": 14.0,
        "broad": {"query": "Kommune Verwaltung", "matches": 12661, "requests": 40, "p50_ms": 45.0, "p95_ms": 60.0},
    }
    results["upload"] = {"mb": 50, "peak_rss_increase_mb": 1.2}
    results["websocket"] = {
        "sockets": 1000,
        "opened": 1000,
        "failed": 0,
        "fanout": 500,
        "rounds": 10,
        "delivered": "5000/5000",
    }
    results["run_seconds"] = 334
    results["quick"] = False
    results.update(changes)
    return results


def _met(rows):
    return {row["target"]: row["met"] for row in rows}


def test_targets_state_what_was_met_and_what_was_missed():
    met = _met(targets.evaluate(_full_results()))

    assert met["thread_first_page: p95 ≤ 100 ms, p99 ≤ 250 ms, no errors"] is True
    assert met["thread_first_page: ≥ 25 % of the floor's throughput"] is False  # 10 % of the floor
    assert met["search: p95 ≤ 100 ms"] is True
    assert met["search for a broad query: p95 ≤ 100 ms"] is True
    assert met["prefix suggestions: p95 ≤ 30 ms"] is True
    assert met["upload of 50 MB: server memory rises by < 20 MB"] is True
    assert met["websocket: 1000 sockets open, every push delivered"] is True
    assert met["`make bench` under 15 minutes"] is True


def test_a_slow_tail_an_error_or_a_lost_push_misses_its_target():
    results = _full_results(run_seconds=16 * 60)
    results["pages"]["thread_first_page"].update(p99_ms=251.0)
    results["pages"]["boards@32"] = {**results["pages"]["thread_first_page"], "concurrency": 32, "errors": 3}
    results["pages"]["thread_first_page"]["floor_fraction"] = 0.25
    results["websocket"]["delivered"] = "4999/5000"

    rows = targets.evaluate(results)
    met = _met(rows)

    assert met["thread_first_page: p95 ≤ 100 ms, p99 ≤ 250 ms, no errors"] is False
    assert met["thread_first_page: ≥ 25 % of the floor's throughput"] is True
    assert met["websocket: 1000 sockets open, every push delivered"] is False
    assert met["`make bench` under 15 minutes"] is False
    assert not any(row["target"].startswith("boards") for row in rows)  # concurrency 8 only


def test_comparison_marks_pages_slower_than_the_previous_run_beyond_the_noise():
    previous = _full_results(date="2026-11-26T03:00:00+00:00")
    current = _full_results()
    current["pages"]["thread_first_page"].update(rps=150.0)  # 25 % fewer requests per second

    comparison = targets.compare(previous, current)

    assert comparison["same_machine_kind"] is True
    (page,) = comparison["pages"]
    assert (page["rps_before"], page["rps"], page["slower"]) == (200.0, 150.0, True)
    current["pages"]["thread_first_page"].update(rps=170.0, p95_ms=75.0)  # within the spread
    assert targets.compare(previous, current)["pages"][0]["slower"] is False
    assert targets.compare({**previous, "scale": 0.05}, current) is None
    assert targets.compare(None, current) is None


def test_report_has_the_targets_and_the_comparison(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "BASE_DIR", tmp_path)
    (tmp_path / "docs").mkdir()
    results = _full_results()
    results["targets"] = targets.evaluate(results)
    slower = _full_results()
    slower["pages"]["thread_first_page"].update(rps=100.0)
    results["previous"] = targets.compare(_full_results(), slower)

    run.write_markdown(results)

    text = (tmp_path / "docs" / "benchmarks.md").read_text()
    assert (
        "| thread_first_page: ≥ 25 % of the floor's throughput | "
        "10.0 % of the floor, 20.0 % of the member floor | **no** |" in text
    )
    assert "| prefix suggestions: p95 ≤ 30 ms | 14.0 ms | yes |" in text
    assert "The whole run took 5.6 minutes." in text
    assert "## Compared with the previous run (2026-11-27T03:00:00+00:00, the same CPU)" in text
    assert "| thread_first_page | 200 | 100 | 60.0 | 60.0 | 10.0 % | 10.0 % | **slower** |" in text


def test_runs_on_machines_of_other_speeds_compare_by_share_of_the_floor(tmp_path, monkeypatch):
    previous = _full_results()
    previous["machine"]["cpu_reference_ms"] = 30.0
    current = _full_results()
    current["machine"]["cpu_reference_ms"] = 75.0  # two and a half times slower
    current["pages"]["thread_first_page"].update(rps=80.0, p95_ms=150.0)  # the same share of its floor

    comparison = targets.compare(previous, current)

    assert comparison["comparable"] is False
    assert comparison["pages"][0]["slower"] is False
    current["pages"]["thread_first_page"].update(floor_fraction=0.07)
    assert targets.compare(previous, current)["pages"][0]["slower"] is True
    other_cpu = _full_results()
    other_cpu["machine"]["cpu"] = "Other CPU"  # older results carry no reference
    other_cpu["pages"]["thread_first_page"].update(rps=80.0)
    assert targets.compare(_full_results(), other_cpu)["comparable"] is False
    assert targets.compare(_full_results(), other_cpu)["pages"][0]["slower"] is False

    monkeypatch.setattr(run, "BASE_DIR", tmp_path)
    (tmp_path / "docs").mkdir()
    current["previous"] = targets.compare(previous, current)
    run.write_markdown(current)
    text = (tmp_path / "docs" / "benchmarks.md").read_text()
    assert "CPU reference (a fixed pure-Python workload, lower is faster): 30.0 ms then, 75.0 ms now." in text
    assert "Marked: share of the floor more than 20 % lower (the machines differ)." in text
    assert "CPU reference (a fixed pure-Python workload, lower is faster): 75.0 ms." in text


def test_the_floor_measured_twice_counts_with_the_higher_figure(tmp_path, monkeypatch):
    def measured(anonymous, member):
        return {
            "anonymous": {"rps": anonymous, "p50_ms": 4.0, "p99_ms": 20.0},
            "member": {"rps": member, "p50_ms": 8.0, "p99_ms": 40.0},
        }

    floor = run.floor_figures(measured(1800.0, 1100.0), measured(2400.0, 1000.0))
    assert floor["rps"] == 2400.0 and floor["member_rps"] == 1100.0
    assert floor["measured_rps"] == [1800.0, 2400.0] and floor["member_measured_rps"] == [1100.0, 1000.0]

    monkeypatch.setattr(run, "BASE_DIR", tmp_path)
    (tmp_path / "docs").mkdir()
    results = _results()
    results["floor"] = floor
    run.write_markdown(results)
    text = (tmp_path / "docs" / "benchmarks.md").read_text()
    assert "**2400 req/s**" in text
    assert "before the pages and after them (1800 and 2400 req/s; with the session 1100 and 1000 req/s)" in text


def test_pushes_count_as_delivered_against_those_sent():
    # At the quick scale a round's author watches the thread too and gets no push of their own.
    results = _full_results()
    results["websocket"].update(sockets=200, fanout=100, rounds=3, delivered="297/297")
    assert _met(targets.evaluate(results))["websocket: 200 sockets open, every push delivered"] is True
    results["websocket"]["delivered"] = "0/0"
    assert _met(targets.evaluate(results))["websocket: 200 sockets open, every push delivered"] is False
