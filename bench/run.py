"""`make bench`: seed large data, serve the portal as in production, load every key page.

Production-like: PostgreSQL and Redis on 127.0.0.1, DEBUG off, uvicorn with two worker
processes, static files through WhiteNoise with the manifest storage. Load comes from wrk
(Debian package) at concurrency 8 and 32; each page is also fetched once in-process to count
its SQL queries and bytes. Results go to bench/results/<date>.json and latest.json, and the
human table to docs/benchmarks.md.
"""

import argparse
import json
import os
import platform as stdlib_platform
import resource
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:  # run as a script, bench/ is on the path, not the project
    sys.path.insert(0, str(BASE_DIR))

from bench import targets  # noqa: E402

RESULTS = BASE_DIR / "bench" / "results"
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DB_NAME = os.environ.get("BENCH_DB", "sozialplanung_bench")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")


def server_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "PORTAL_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{PORT}",
        "SECURE_SSL_REDIRECT": "false",
        "PORTAL_REQUIRE_MFA_FOR_STAFF": "false",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(BASE_DIR / "var" / "bench-media"),
    }


def manage(*args, env=None, capture=False):
    command = [PYTHON, str(BASE_DIR / "manage.py"), *args]
    if capture:
        return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    subprocess.run(command, env=env, check=True)
    return ""


def ensure_database():
    """Create the benchmark database if needed (createdb exits 1 when it already exists)."""
    result = subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], capture_output=True, text=True)
    if result.returncode != 0 and "already exists" not in result.stderr:
        raise RuntimeError(result.stderr)


def start_server(env, workers=2):
    log = open(BASE_DIR / "var" / "bench-server.log", "w")
    process = subprocess.Popen(
        [
            PYTHON,
            str(BASE_DIR / "manage.py"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a group of its own, so stop_server can end the workers too
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/ping/", timeout=2)
            return process
        except Exception:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start; see var/bench-server.log")


def stop_server(process):
    """SIGTERM to the supervisor, which passes it to the workers; after 15 s whatever is left
    of the group is killed. A uvicorn worker waits without limit for open connections to
    close, and killing only the supervisor left it running with its database connections."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # the whole group had already exited
    process.wait()


def raise_open_files_limit():
    """1,000 websockets need more descriptors than the usual soft limit of 1,024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def verify_pages(plan):
    """Each page must answer 200 with its h1 on the real server: a login redirect would make
    wrk measure the wrong thing without counting an error."""
    opener = urllib.request.build_opener(_NoRedirect)
    for page in plan["pages"]:
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{page['url']}", headers={"Cookie": plan["cookie"]})
        try:
            with opener.open(request, timeout=30) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, b""
        if status != 200:
            raise RuntimeError(f"{page['name']} ({page['url']}) answered {status} on the server, not 200")
        if page.get("h1") and page["h1"] not in " ".join(_strip_tags(body.decode("utf-8", "replace")).split()):
            raise RuntimeError(f"{page['name']}: the response does not contain its h1 {page['h1']!r}")
        print(f"checked {page['name']}: 200, {len(body)} bytes", flush=True)


def _strip_tags(text):
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def wrk(url, *, cookie, concurrency, seconds, method="GET", body_file=None):
    command = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(concurrency),
        "-d",
        f"{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(BASE_DIR / "bench" / "wrk_report.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(url)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = [line for line in output.splitlines() if line.startswith("{")][-1]
    return json.loads(line)


def measure_floors(plan, seconds) -> dict:
    """The trivial view without a session and with the bench member's."""
    url = f"http://127.0.0.1:{PORT}/health/ping/"
    floors = {
        "anonymous": wrk(url, cookie=None, concurrency=8, seconds=seconds),
        "member": wrk(url, cookie=plan["cookie"], concurrency=8, seconds=seconds),
    }
    print(f"floor {floors['anonymous']['rps']:.1f} req/s, member floor {floors['member']['rps']:.1f} req/s", flush=True)
    return floors


def floor_figures(before: dict, after: dict) -> dict:
    """The floors of the run: the higher of the two measurements of each, and both."""
    floor = max(before["anonymous"], after["anonymous"], key=lambda figures: figures["rps"])
    member = max(before["member"], after["member"], key=lambda figures: figures["rps"])
    return {
        "rps": floor["rps"],
        "p50_ms": floor["p50_ms"],
        "p99_ms": floor["p99_ms"],
        "member_rps": member["rps"],
        "member_p50_ms": member["p50_ms"],
        "measured_rps": [before["anonymous"]["rps"], after["anonymous"]["rps"]],
        "member_measured_rps": [before["member"]["rps"], after["member"]["rps"]],
    }


def cpu_reference_ms() -> float:
    """A fixed pure-Python workload, best of seven, in milliseconds (lower is faster). Bench
    machines of one kind differ in speed by more than two times, so a run compares with
    another only where this figure is about the same."""
    code = (
        "import time\nbest = 1e9\nfor _ in range(7):\n"
        "    t = time.perf_counter(); sum(i * i for i in range(10**6)); best = min(best, time.perf_counter() - t)\n"
        "print(best)"
    )
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True).stdout
    return round(float(out) * 1000, 1)


def machine_info():
    mem_kb = 0
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    cpu = ""
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cpu_reference_ms": cpu_reference_ms(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": stdlib_platform.python_version(),
        "postgresql": pg,
        "redis": redis.split(" sha=")[0],
        "server": "uvicorn (manage.py serve), 2 worker processes, connections handed to them in turn",
        "load_generator": "wrk 4.1.0, 2 threads",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data, short runs (under 3 minutes)")
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--seconds", type=int, default=None)
    args = parser.parse_args()
    run_started = time.monotonic()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    scale = args.scale if args.scale is not None else (0.05 if args.quick else 1)
    seconds = args.seconds or (3 if args.quick else 8)
    concurrencies = [8] if args.quick else [8, 32]

    env = server_env()
    (BASE_DIR / "var").mkdir(exist_ok=True)
    ensure_database()
    manage("migrate", "--noinput", env=env)
    seed_seconds = None
    if not args.skip_seed:
        started = time.monotonic()
        manage("seed_bench", "--scale", str(scale), "--reset", env=env)
        seed_seconds = round(time.monotonic() - started, 1)
    manage("collectstatic", "--noinput", "-v0", env=env)
    plan = json.loads(manage("bench_plan", env=env, capture=True))

    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "scale": scale,
        "quick": args.quick,
        "seed_seconds": seed_seconds,
        "pages": {},
    }
    raise_open_files_limit()
    server = start_server(env)
    try:
        verify_pages(plan)
        # The floor as the issue defines it (no session) and the same view with the bench
        # member's session cookie: what every logged-in page pays before its own work. Both
        # are measured before the pages and again after them: on the benchmark machines the
        # floor measured twice minutes apart differed by up to a third (right after seeding it
        # was lower). Each page's share is taken of the higher of the two, the stricter figure.
        floors = [measure_floors(plan, seconds)]
        for page in plan["pages"]:
            for concurrency in concurrencies:
                figures = wrk(
                    f"http://127.0.0.1:{PORT}{page['url']}",
                    cookie=plan["cookie"],
                    concurrency=concurrency,
                    seconds=seconds,
                )
                key = page["name"] if concurrency == 8 else f"{page['name']}@{concurrency}"
                results["pages"][key] = {
                    "url": page["url"],
                    "concurrency": concurrency,
                    "rps": figures["rps"],
                    "p50_ms": figures["p50_ms"],
                    "p95_ms": figures["p95_ms"],
                    "p99_ms": figures["p99_ms"],
                    "errors": figures["errors"],
                    "queries": page["queries"],
                    "bytes": page["bytes"],
                }
                print(
                    f"{key:32} {figures['rps']:8.1f} req/s  p95 {figures['p95_ms']:7.1f} ms  "
                    f"p99 {figures['p99_ms']:7.1f} ms  errors {figures['errors']}",
                    flush=True,
                )
        floors.append(measure_floors(plan, seconds))
        results["floor"] = floor_figures(*floors)
        for figures in results["pages"].values():
            figures["floor_fraction"] = round(figures["rps"] / results["floor"]["rps"], 3)
            figures["member_floor_fraction"] = round(figures["rps"] / results["floor"]["member_rps"], 3)
        extra = json.loads(
            manage(
                "bench_extra",
                "--port",
                str(PORT),
                "--server-pid",
                str(server.pid),
                "--quick" if args.quick else "--full",
                env=env,
                capture=True,
            )
        )
        results.update(extra)
    finally:
        stop_server(server)

    results["run_seconds"] = round(time.monotonic() - run_started)
    results["targets"] = targets.evaluate(results)
    latest = RESULTS / "latest.json"
    results["previous"] = targets.compare(json.loads(latest.read_text()) if latest.exists() else None, results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    for name in (f"{day}.json", "latest.json"):
        (RESULTS / name).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_markdown(results)
    for row in results["targets"]:
        print(f"{'met   ' if row['met'] else 'MISSED'} {row['target']}: {row['measured']}")
    previous = results["previous"] or {}
    for page in previous.get("pages", []):
        if not page["slower"]:
            continue
        if previous["comparable"]:
            print(
                f"slower than the previous run: {page['page']} {page['rps_before']:.0f} -> {page['rps']:.0f} req/s, "
                f"p95 {page['p95_before_ms']:.1f} -> {page['p95_ms']:.1f} ms"
            )
        else:  # the machines' speeds differ: what is compared is the share of each run's floor
            print(
                f"a smaller share of the floor than in the previous run: {page['page']} "
                f"{page['floor_fraction_before'] * 100:.1f} % -> {page['floor_fraction'] * 100:.1f} %"
            )
    print(f"results: bench/results/{day}.json, docs/benchmarks.md")


def write_markdown(results):
    machine = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {results['date']} with `make bench` (scale {results['scale']}).",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB; Python {machine['python']}; "
        f"{machine['postgresql']}; {machine['redis']}; {machine['server']}; {machine['load_generator']}."
        + (
            f" CPU reference (a fixed pure-Python workload, lower is faster): {machine['cpu_reference_ms']} ms."
            if machine.get("cpu_reference_ms")
            else ""
        ),
        "",
        f"Floor (trivial view through the same middleware): **{results['floor']['rps']:.0f} req/s**, "
        f"p50 {results['floor']['p50_ms']:.1f} ms; the same view with the bench member's session (session "
        f"and user loaded, as on every page below): **{results['floor']['member_rps']:.0f} req/s**, "
        f"p50 {results['floor']['member_p50_ms']:.1f} ms." + _measured_twice(results["floor"]),
        "",
        "| page | conc. | req/s | p50 ms | p95 ms | p99 ms | errors | queries | bytes | of floor | of member floor |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, page in results["pages"].items():
        lines.append(
            f"| {name} | {page['concurrency']} | {page['rps']:.0f} | {page['p50_ms']:.1f} | {page['p95_ms']:.1f} | "
            f"{page['p99_ms']:.1f} | {page['errors']} | {page['queries']} | {page['bytes']} | "
            f"{page['floor_fraction'] * 100:.0f} % | {page['member_floor_fraction'] * 100:.0f} % |"
        )
    for section in ("search", "websocket", "upload", "upload_small"):
        if section in results:
            figures = {k: v for k, v in results[section].items() if k != "queries"}
            lines += ["", f"**{section}**: " + ", ".join(f"{k} = {v}" for k, v in figures.items())]
    plans = results.get("search", {}).get("queries") or []
    if plans:
        lines += [
            "",
            "### Search plans",
            "",
            "EXPLAIN (ANALYZE, BUFFERS) of the statements that read `search_searchentry`",
        ]
        lines += ["for the bench member's search and the header's suggestions (also in the results JSON):"]
        for plan in plans:
            lines += ["", "```text", plan, "```"]
    if results.get("seed_seconds") is not None:
        lines += ["", f"Seeding took {results['seed_seconds']} s."]
    if results.get("run_seconds") is not None:
        lines += ["", f"The whole run took {results['run_seconds'] / 60:.1f} minutes."]
    lines += targets.markdown(results)
    path = BASE_DIR / "docs" / "benchmarks.md"
    existing = path.read_text() if path.exists() else ""
    notes = existing.split("<!-- notes -->", 1)[1] if "<!-- notes -->" in existing else "\n"
    path.write_text("\n".join(lines) + "\n\n<!-- notes -->" + notes)


def _measured_twice(floor) -> str:
    if "measured_rps" not in floor:
        return ""
    before, after = floor["measured_rps"]
    member_before, member_after = floor["member_measured_rps"]
    return (
        f" Each measured before the pages and after them ({before:.0f} and {after:.0f} req/s; with the "
        f"session {member_before:.0f} and {member_after:.0f} req/s): the pages' shares are of the higher."
    )


if __name__ == "__main__":
    main()
