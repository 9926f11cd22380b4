"""The targets a `make bench` run is judged by, and how it compares with the run before.

Both go into the results JSON and docs/benchmarks.md, so a run states by itself which targets
it met and where it fell behind the previous one, instead of leaving that to reading tables.
"""

# docs/benchmarks.md and the issue that set them: on the bench machine, PostgreSQL + Redis,
# concurrency 8.
PAGE_P95_MS = 100
PAGE_P99_MS = 250
THREAD_FLOOR_FRACTION = 0.25
SEARCH_P95_MS = 100
SUGGEST_P95_MS = 30
UPLOAD_RSS_MB = 20
BENCH_SECONDS = {"quick": 3 * 60, "full": 15 * 60}

# A page counts as slower than in the previous run beyond the spread between runs of the same
# code on a 2-core bench machine (the documents list: 133, 146 and 175 req/s in three runs).
RPS_DROP = 0.2
P95_RISE = 0.3
# Runs on machines whose CPU reference (bench.run.cpu_reference_ms) differs by more than this
# are compared by each page's share of the floor, not by its raw figures.
REFERENCE_SPREAD = 0.15


def _target(name: str, measured: str, met: bool) -> dict:
    return {"target": name, "measured": measured, "met": met}


def evaluate(results: dict) -> list[dict]:
    """One row per target: what it asks, what was measured, whether it was met."""
    rows = []
    for name, page in results.get("pages", {}).items():
        if page["concurrency"] != 8:
            continue
        met = page["p95_ms"] <= PAGE_P95_MS and page["p99_ms"] <= PAGE_P99_MS and page["errors"] == 0
        rows.append(
            _target(
                f"{name}: p95 ≤ {PAGE_P95_MS} ms, p99 ≤ {PAGE_P99_MS} ms, no errors",
                f"p95 {page['p95_ms']:.1f} ms, p99 {page['p99_ms']:.1f} ms, {page['errors']} errors",
                met,
            )
        )
    thread = results.get("pages", {}).get("thread_first_page")
    if thread:
        rows.append(
            _target(
                f"thread_first_page: ≥ {THREAD_FLOOR_FRACTION * 100:.0f} % of the floor's throughput",
                f"{thread['floor_fraction'] * 100:.1f} % of the floor, "
                f"{thread['member_floor_fraction'] * 100:.1f} % of the member floor",
                thread["floor_fraction"] >= THREAD_FLOOR_FRACTION,
            )
        )
    search = results.get("search")
    if search:
        rows.append(
            _target(
                f"search: p95 ≤ {SEARCH_P95_MS} ms", f"{search['p95_ms']:.1f} ms", search["p95_ms"] <= SEARCH_P95_MS
            )
        )
        broad = search.get("broad")
        if broad:
            rows.append(
                _target(
                    f"search for a broad query: p95 ≤ {SEARCH_P95_MS} ms",
                    f"{broad['p95_ms']:.1f} ms ({broad['matches']} matches)",
                    broad["p95_ms"] <= SEARCH_P95_MS,
                )
            )
        rows.append(
            _target(
                f"prefix suggestions: p95 ≤ {SUGGEST_P95_MS} ms",
                f"{search['suggest_p95_ms']:.1f} ms",
                search["suggest_p95_ms"] <= SUGGEST_P95_MS,
            )
        )
    upload = results.get("upload")
    if upload:
        rows.append(
            _target(
                f"upload of {upload['mb']} MB: server memory rises by < {UPLOAD_RSS_MB} MB",
                f"{upload['peak_rss_increase_mb']:.1f} MB",
                upload["peak_rss_increase_mb"] < UPLOAD_RSS_MB,
            )
        )
    socket = results.get("websocket")
    if socket:
        # Pushes delivered of those sent: a round's author gets none of its own (at the quick
        # scale the authors also watch the thread), so fewer than fanout × rounds may be sent.
        delivered, sent = (int(part) for part in socket["delivered"].split("/"))
        rows.append(
            _target(
                f"websocket: {socket['sockets']} sockets open, every push delivered",
                f"{socket['opened']} open, {socket['failed']} failed, {socket['delivered']} delivered",
                socket["failed"] == 0 and sent > 0 and delivered == sent,
            )
        )
    if results.get("run_seconds") is not None:
        mode = "quick" if results.get("quick") else "full"
        limit = BENCH_SECONDS[mode]
        rows.append(
            _target(
                f"`make bench{' --quick' if mode == 'quick' else ''}` under {limit // 60} minutes",
                f"{results['run_seconds'] / 60:.1f} minutes",
                results["run_seconds"] < limit,
            )
        )
    return rows


def compare(previous: dict | None, current: dict) -> dict | None:
    """Each page's throughput and p95 beside the previous run's (same scale only), with the
    pages that fell behind by more than the machine's noise."""
    if not previous or previous.get("scale") != current.get("scale"):
        return None
    reference_before = previous.get("machine", {}).get("cpu_reference_ms")
    reference = current.get("machine", {}).get("cpu_reference_ms")
    same_cpu = previous.get("machine", {}).get("cpu") == current.get("machine", {}).get("cpu")
    # Another CPU, or the same CPU at another speed: each page's share of its run's floor.
    comparable = same_cpu and (
        not (reference_before and reference) or abs(reference / reference_before - 1) <= REFERENCE_SPREAD
    )
    pages = []
    for name, page in current.get("pages", {}).items():
        before = previous.get("pages", {}).get(name)
        if not before:
            continue
        if comparable:
            slower = page["rps"] < before["rps"] * (1 - RPS_DROP) or page["p95_ms"] > before["p95_ms"] * (1 + P95_RISE)
        else:
            slower = page["floor_fraction"] < before["floor_fraction"] * (1 - RPS_DROP)
        pages.append(
            {
                "page": name,
                "rps_before": before["rps"],
                "rps": page["rps"],
                "p95_before_ms": before["p95_ms"],
                "p95_ms": page["p95_ms"],
                "floor_fraction_before": before["floor_fraction"],
                "floor_fraction": page["floor_fraction"],
                "slower": slower,
            }
        )
    return {
        "date": previous.get("date"),
        "cpu": previous.get("machine", {}).get("cpu"),
        "same_machine_kind": same_cpu,
        "cpu_reference_ms_before": reference_before,
        "cpu_reference_ms": reference,
        "comparable": comparable,
        "pages": pages,
    }


def markdown(results: dict) -> list[str]:
    """The targets table and the comparison, as lines of docs/benchmarks.md."""
    lines = ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    for row in results.get("targets", []):
        lines.append(f"| {row['target']} | {row['measured']} | {'yes' if row['met'] else '**no**'} |")
    comparison = results.get("previous")
    if comparison:
        machine = "the same CPU" if comparison["same_machine_kind"] else f"another CPU: {comparison['cpu']}"
        before, now = comparison.get("cpu_reference_ms_before"), comparison.get("cpu_reference_ms")
        if comparison.get("comparable", True):
            marked = f"throughput more than {RPS_DROP * 100:.0f} % lower or p95 more than {P95_RISE * 100:.0f} % higher"
        else:
            marked = f"share of the floor more than {RPS_DROP * 100:.0f} % lower (the machines differ)"
        lines += ["", f"## Compared with the previous run ({comparison['date']}, {machine})", ""]
        if before and now:
            lines += [
                f"CPU reference (a fixed pure-Python workload, lower is faster): {before} ms then, {now} ms now.",
                "",
            ]
        lines += [
            f"Marked: {marked}.",
            "",
            "| page | req/s before | req/s | p95 ms before | p95 ms | floor share before | floor share | change |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for page in comparison["pages"]:
            shares = [page.get("floor_fraction_before"), page.get("floor_fraction")]
            before_share, share = (f"{value * 100:.1f} %" if value is not None else "" for value in shares)
            lines.append(
                f"| {page['page']} | {page['rps_before']:.0f} | {page['rps']:.0f} | {page['p95_before_ms']:.1f} | "
                f"{page['p95_ms']:.1f} | {before_share} | {share} | {'**slower**' if page['slower'] else ''} |"
            )
    return lines
