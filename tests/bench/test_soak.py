"""The figures and verdicts of bench/soak.py, on made-up runs (the soak itself is `make soak`)."""

from bench.soak import criteria, memory_figures, request_figures, timeline


def _samples(seconds, rss_mb_at):
    return [{"t": t, "rss_kb": {pid: mb(t) * 1024 for pid, mb in rss_mb_at.items()}} for t in range(0, seconds + 1, 10)]


def test_memory_that_grows_only_while_warming_up_is_stable_steady_growth_is_not():
    samples = _samples(
        600,
        {
            101: lambda t: 120 + min(t, 200) * 0.15,  # +30 MB in the first minutes, then flat
            102: lambda t: 150 + t * 0.1,  # +1 MB every 10 s, the whole run
        },
    )
    workers = memory_figures(samples, 600)
    assert workers["101"]["stable"] and workers["101"]["second_half_growth_mb"] == 0
    assert workers["101"]["first_mb"] == 120 and workers["101"]["max_mb"] == 150
    assert not workers["102"]["stable"]
    assert workers["102"]["second_half_mb_per_min"] == 6.0 and workers["102"]["second_half_growth_mb"] == 30.0


def test_requests_count_5xx_failures_and_answers_a_browser_would_not_expect():
    log = [
        (1.0, "dashboard", 200, 80.0),
        (2.0, "dashboard", 502, 5.0),
        (3.0, "thread", 302, 20.0),  # a login redirect on a page
        (4.0, "thread", 0, 30000.0),  # no answer
        (5.0, "reply", 302, 150.0),  # the expected redirect after posting
        (61.0, "reply", 200, 90.0),  # the form again: a form error
    ]
    figures = request_figures(log)
    assert (figures["requests"], figures["5xx"], figures["failed"], figures["unexpected"]) == (6, 1, 1, 2)
    assert figures["actions"]["reply"]["statuses"] == {"200": 1, "302": 1}
    assert [minute["requests"] for minute in timeline(log, 120)] == [5, 1]

    sockets = {"members": 2, "open_at_end": 1, "dropped": 3}
    verdicts = {name.split(":")[0]: passed for name, passed, _detail in criteria(figures, {}, sockets)}
    assert not any(verdicts.values())  # 5xx, p95, no memory samples, unexpected answers, a socket closed
