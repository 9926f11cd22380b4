"""`make soak`: fifty members use the portal for ten minutes; errors, latency and worker memory.

A benchmark loads one page at a time; a soak shows what only time shows: memory that grows,
connections or sockets that leak, latency that drifts. The portal is served as in `make bench`
(bench/run.py: PostgreSQL, Redis, DEBUG off, two uvicorn workers) on the seeded bench
database. Each simulated member has a session of their own and their notification websocket
open, and does what members do, with 2-6 s of think time (seeded, so runs are comparable):
reads the dashboard, a workspace, the document library and a document, a thread, search and
notifications; replies to threads and now and then uploads a small PDF. Like a browser it
fetches a form before posting it (CSRF token), fetches the notification feed when the socket
says "new", and pings the socket every 25 s.

Results: bench/results/soak-<date>.json (summary, per-minute timeline, memory samples), every
request in var/soak-<date>-requests.csv, and a printed summary with the pass/fail criteria.
The bench database is only reseeded with --seed (scale 0.05); otherwise the script waits for
a seed_bench that is running and uses the data that is there.
"""

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(BASE_DIR), str(BASE_DIR / "platform")]

from bench.run import (  # noqa: E402 (bench/ and platform/ must be on the path first)
    PORT,
    RESULTS,
    ensure_database,
    machine_info,
    manage,
    raise_open_files_limit,
    server_env,
    start_server,
    stop_server,
)

if __name__ == "__main__":
    # Django with the server's settings before anything below loads models: the members'
    # sessions must be made with them (cookie names, cache). Imported by the tests, Django is
    # already set up with theirs.
    os.environ.update(server_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402
from websockets.protocol import State  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.management.commands.bench_extra import (  # noqa: E402
    SEARCH_QUERIES,
    csrf_token,
    fetch,
    make_pdf,
    percentile,
    post_file,
    rss_kb,
    session_cookie,
    worker_pids,
)
from bench.management.commands.seed_bench import BENCH_EMAIL, MARKER_SLUG  # noqa: E402
from documents.selectors import documents_visible_to  # noqa: E402
from forums.permissions import can_reply  # noqa: E402
from forums.selectors import visible_threads  # noqa: E402
from workspaces.models import Membership, Workspace  # noqa: E402

SEED = 20260901
THINK_SECONDS = (2.0, 6.0)
SAMPLE_EVERY = 10  # seconds between RSS samples of the workers
PING_EVERY = 25  # seconds, as static/js/portal.js
THREADS_PER_MEMBER = 20
DOCUMENTS_PER_MEMBER = 30
UPLOAD_BYTES = 100_000
# A member's next step: name -> weight. Reading dominates, as in forums (about 25 reads per
# write here); a reply is 3 % of the steps, an upload 1 %.
STEPS = {
    "dashboard": 14,
    "workspace_home": 10,
    "documents": 12,
    "document_detail": 12,
    "thread": 20,
    "search": 10,
    "notifications": 8,
    "reply": 3,
    "upload": 1,
}
# Steps that need something in the member's plan; without it the member skips the step.
REQUIRES = {
    "workspace_home": "workspaces",
    "document_detail": "documents",
    "thread": "threads",
    "reply": "reply_threads",
    "upload": "can_upload",
}
# Statuses the browser expects; anything else (a login redirect, a CSRF 403, a form error
# answered with 200 or 400) means the member did not do what the soak claims.
EXPECTED_STATUS = {"reply": 302, "upload": 302}
# Pass/fail.
P95_LIMIT_MS = 300
MEMORY_LIMIT_MB = 20
MEMORY_LIMIT_FRACTION = 0.05


# --- setup ----------------------------------------------------------------------------------


def wait_for_seeding():
    """Another process may be seeding the bench database right now (its --reset empties the
    tables first) or benchmarking on it: poll every 30 s until it is done rather than measure
    half-written data or two loads at once."""
    for pattern in ("manage.py seed_bench", "bench/run.py"):
        while subprocess.run(["pgrep", "-f", pattern], capture_output=True).returncode == 0:
            print(f"{pattern} is running; waiting 30 s for it to finish", flush=True)
            time.sleep(30)


def bench_scale() -> str:
    marker = Workspace.objects.filter(slug=MARKER_SLUG).first()
    if marker is None:
        sys.exit("No benchmark data in the bench database: run `make bench` or `make soak SOAK_ARGS=--seed`.")
    return marker.funding_note


def member_plans(count: int) -> list[dict]:
    """What each bench member will open: only what the policy lets them see (so every page
    should answer 200), and a session cookie of their own."""
    emails = [BENCH_EMAIL.format(i) for i in range(count)]
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    if len(users) < count:
        sys.exit(f"Only {len(users)} of {count} bench members exist; use fewer --members or a larger scale.")
    plans = []
    for index, email in enumerate(emails):
        user = users[email]
        workspaces = list(Membership.objects.filter(user=user).values_list("workspace__slug", "workspace_id"))
        threads = list(visible_threads(user).order_by("-last_post_at")[:THREADS_PER_MEMBER])
        documents = documents_visible_to(user).order_by("-created_at").values_list("pk", flat=True)
        plans.append(
            {
                "index": index,
                "cookie": session_cookie(user),
                "workspaces": workspaces,
                "threads": [thread.pk for thread in threads],
                "reply_threads": [thread.pk for thread in threads if can_reply(user, thread)],
                "documents": list(documents[:DOCUMENTS_PER_MEMBER]),
                # post_file uploads into the marker workspace.
                "can_upload": any(slug == MARKER_SLUG for slug, _pk in workspaces),
            }
        )
    return plans


# --- one member -----------------------------------------------------------------------------


class Member:
    """One simulated member: a thread of their own, a cookie jar, a websocket. Every HTTP
    request goes to ``log`` as (seconds since start, action, status, milliseconds); status 0
    is a failed connection or a timeout."""

    def __init__(self, plan, *, base, started, stop, log):
        self.plan, self.base, self.started, self.stop, self.log = plan, base, started, stop, log
        self.rng = random.Random(SEED * 1000 + plan["index"])
        name, value = plan["cookie"].split("=", 1)
        self.cookies = {name: value}
        self.socket = None
        self.socket_stats = {"opened": 0, "failed": 0, "dropped": 0, "pushes": 0}
        self.last_notification = 0
        self.next_ping = 0.0
        self.replies = 0
        steps = {name: weight for name, weight in STEPS.items() if name not in REQUIRES or plan[REQUIRES[name]]}
        self.step_names, self.step_weights = list(steps), list(steps.values())

    # HTTP

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def keep_cookies(self, headers):
        for header in headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)

    def request(self, action, path, *, data=None, headers=None):
        """One timed request with the member's cookies; returns (status, body)."""
        started = time.perf_counter()
        try:
            status, body, response_headers = fetch(
                self.base + path, cookie=self.cookie_header(), data=data, headers=headers
            )
            self.keep_cookies(response_headers)
        except OSError:
            status, body = 0, b""
        self.record(action, status, started)
        return status, body

    def record(self, action, status, started):
        finished = time.perf_counter()
        self.log.append((round(finished - self.started, 3), action, status, round((finished - started) * 1000, 1)))

    def post_form(self, action, path, fields):
        """POST a form as the browser does, with the same page as Origin and Referer."""
        return self.request(
            action,
            path,
            data=urllib.parse.urlencode(fields).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": settings.SITE_URL,
                "Referer": settings.SITE_URL + path,
            },
        )

    # steps

    def dashboard(self):
        self.request("dashboard", "/")

    def workspace_home(self):
        slug, _pk = self.rng.choice(self.plan["workspaces"])
        self.request("workspace_home", f"/workspaces/{slug}/")

    def documents(self):
        path = "/documents/"
        if self.plan["workspaces"] and self.rng.random() < 0.5:
            path += f"?workspace={self.rng.choice(self.plan['workspaces'])[1]}"
        self.request("documents", path)

    def document_detail(self):
        self.request("document_detail", f"/documents/{self.rng.choice(self.plan['documents'])}/")

    def thread(self):
        self.request("thread", f"/forums/threads/{self.rng.choice(self.plan['threads'])}/")

    def search(self):
        self.request("search", "/search/?" + urllib.parse.urlencode({"q": self.rng.choice(SEARCH_QUERIES)}))

    def notifications(self):
        self.request("notifications", "/notifications/")

    def reply(self):
        path = f"/forums/threads/{self.rng.choice(self.plan['reply_threads'])}/reply/"
        status, body = self.request("reply_form", path)
        if status != 200:
            return
        self.replies += 1
        text = (
            f"Rückmeldung {self.replies} von Mitglied {self.plan['index']:02d}: Wir haben die Präventionskette "
            "im Sozialraum mit Kita, Schulsozialarbeit und Familienzentrum abgestimmt."
        )
        self.post_form("reply", path, {"csrfmiddlewaretoken": csrf_token(body), "body": text, "parent": ""})

    def upload(self):
        status, body = self.request("upload_form", "/documents/upload/")
        if status != 200:
            return
        path = make_pdf(UPLOAD_BYTES)
        started = time.perf_counter()
        try:
            status = post_file(
                self.base,
                cookie=self.cookie_header(),
                token=csrf_token(body),
                path=path,
                size=os.path.getsize(path),
                name=f"soak-{self.plan['index']:02d}-{self.rng.randrange(10**6):06d}.pdf",
                title=f"Soak-Test Sozialbericht {self.plan['index']:02d}",
            )
        except OSError:
            status = 0
        finally:
            os.unlink(path)
        self.record("upload", status, started)

    # websocket

    def connect_socket(self):
        url = self.base.replace("http", "ws", 1) + "/ws/notifications/"
        try:
            self.socket = connect(
                url,
                additional_headers={"Cookie": self.cookie_header(), "Origin": settings.SITE_URL},
                open_timeout=30,
                ping_interval=None,  # browsers send no protocol pings; portal.js sends its own
                proxy=None,
                legacy=True,  # the connection itself, kept across steps (not a with-block)
            )
        except Exception:  # refused handshake (InvalidStatus), timeout, reset: a browser retries later
            self.socket = None
            self.socket_stats["failed"] += 1
            return
        self.socket_stats["opened"] += 1
        self.next_ping = time.monotonic() + PING_EVERY

    def socket_open(self) -> bool:
        return self.socket is not None and self.socket.state is State.OPEN

    def listen(self, seconds):
        """Think for ``seconds`` with the page open: answer pushes as portal.js does (fetch
        the feed), ping every 25 s, reconnect a dropped socket."""
        deadline = time.monotonic() + seconds
        while not self.stop.is_set() and (left := deadline - time.monotonic()) > 0:
            if self.socket is None:
                self.connect_socket()
                if self.socket is None:
                    self.stop.wait(min(left, 5))
                    continue
            try:
                if time.monotonic() >= self.next_ping:
                    self.socket.send('{"type":"ping"}')
                    self.next_ping = time.monotonic() + PING_EVERY
                # At most a second at a time, so the end of the run is noticed promptly.
                message = self.socket.recv(timeout=min(left, 1, max(0.1, self.next_ping - time.monotonic())))
            except TimeoutError:
                continue
            except ConnectionClosed:
                if not self.stop.is_set():
                    self.socket_stats["dropped"] += 1
                self.socket = None
                continue
            if json.loads(message).get("type") == "new":
                self.socket_stats["pushes"] += 1
                self.notification_feed()

    def notification_feed(self):
        status, body = self.request("notification_feed", f"/notifications/feed/?after={self.last_notification}")
        if status == 200:
            ids = [item["id"] for item in json.loads(body)["items"]]
            self.last_notification = max([self.last_notification, *ids])

    def run(self):
        self.connect_socket()
        self.listen(self.rng.uniform(0, THINK_SECONDS[1]))  # members arrive spread out
        while not self.stop.is_set():
            getattr(self, self.rng.choices(self.step_names, self.step_weights)[0])()
            self.listen(self.rng.uniform(*THINK_SECONDS))

    def close(self):
        if self.socket is not None:
            self.socket.close()


# --- the run --------------------------------------------------------------------------------


def database_connections() -> int:
    """Connections to the bench database other than this one: the server's, and anybody
    else's (the soak should run alone)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


def sample_server(server_pid, started, stop, samples):
    """Every SAMPLE_EVERY seconds: each uvicorn worker's RSS in KB, keyed by pid (a worker
    that is replaced shows up under a new pid), and the open database connections."""
    while True:
        pids = worker_pids(server_pid)
        samples.append(
            {
                "t": round(time.perf_counter() - started, 1),
                "rss_kb": {pid: rss_kb(pid) for pid in pids},
                "db_connections": database_connections(),
            }
        )
        if stop.wait(SAMPLE_EVERY):
            return


def soak(server, plans, *, seconds):
    """Run the members for ``seconds``; returns the request log, the server samples (RSS,
    database connections) and the websocket figures."""
    base = f"http://127.0.0.1:{PORT}"
    stop, log, samples = threading.Event(), [], []
    started = time.perf_counter()
    members = [Member(plan, base=base, started=started, stop=stop, log=log) for plan in plans]
    sampler_stop = threading.Event()
    threads = [threading.Thread(target=sample_server, args=(server.pid, started, sampler_stop, samples))]
    threads += [threading.Thread(target=member.run, name=f"member-{member.plan['index']}") for member in members]
    for thread in threads:
        thread.start()
    next_report = 60
    while (elapsed := time.perf_counter() - started) < seconds:
        time.sleep(min(1, seconds - elapsed))
        if elapsed >= next_report:
            print(f"  {int(elapsed)} s: {len(log)} requests, {sum(1 for e in log if e[2] >= 500)} 5xx", flush=True)
            next_report += 60
    open_at_end = sum(member.socket_open() for member in members)
    stop.set()
    for thread in threads[1:]:
        thread.join()
    sampler_stop.set()
    threads[0].join()
    for member in members:
        member.close()
    sockets = {key: sum(member.socket_stats[key] for member in members) for key in members[0].socket_stats}
    sockets = {"members": len(members), "open_at_end": open_at_end, **sockets}
    return {"log": log, "samples": samples, "sockets": sockets}


# --- figures --------------------------------------------------------------------------------


def latency(values) -> dict:
    return {
        "p50_ms": round(percentile(values, 0.50), 1) if values else None,
        "p95_ms": round(percentile(values, 0.95), 1) if values else None,
        "p99_ms": round(percentile(values, 0.99), 1) if values else None,
    }


def request_figures(log) -> dict:
    """Counts, statuses and latency overall and per action."""
    by_action = {}
    for _t, action, status, ms in log:
        by_action.setdefault(action, []).append((status, ms))
    actions = {}
    for action, rows in sorted(by_action.items()):
        statuses = [status for status, _ms in rows]
        expected = EXPECTED_STATUS.get(action, 200)
        actions[action] = {
            "count": len(rows),
            "statuses": {str(code): statuses.count(code) for code in sorted(set(statuses))},
            "5xx": sum(1 for code in statuses if code >= 500),
            "failed": statuses.count(0),
            "unexpected": sum(1 for code in statuses if code != expected and code < 500 and code != 0),
            **latency([ms for _status, ms in rows]),
        }
    return {
        "requests": len(log),
        "5xx": sum(figures["5xx"] for figures in actions.values()),
        "failed": sum(figures["failed"] for figures in actions.values()),
        "unexpected": sum(figures["unexpected"] for figures in actions.values()),
        **latency([entry[3] for entry in log]),
        "actions": actions,
    }


def timeline(log, seconds) -> list[dict]:
    """Per minute: requests, 5xx and latency, to see drift that an overall percentile hides."""
    minutes = []
    for minute in range(max(1, -(-seconds // 60))):
        rows = [entry for entry in log if minute * 60 <= entry[0] < (minute + 1) * 60]
        minutes.append(
            {
                "minute": minute + 1,
                "requests": len(rows),
                "5xx": sum(1 for entry in rows if entry[2] >= 500),
                **latency([entry[3] for entry in rows]),
            }
        )
    return minutes


def memory_figures(samples, seconds) -> dict:
    """Per worker: RSS first, last and max, and the least-squares slope over the second half
    of the run, when start-up and warm caches are behind. Growth in the second half is the
    slope times its length; a worker is stable when that stays under MEMORY_LIMIT_MB or under
    MEMORY_LIMIT_FRACTION of its RSS at half time."""
    series = {}
    for sample in samples:
        for pid, kb in sample["rss_kb"].items():
            if kb:
                series.setdefault(pid, []).append((sample["t"], kb / 1024))
    workers = {}
    for pid, points in series.items():
        second = [(t, mb) for t, mb in points if t >= seconds / 2]
        figures = {
            "first_mb": round(points[0][1], 1),
            "last_mb": round(points[-1][1], 1),
            "max_mb": round(max(mb for _t, mb in points), 1),
            "samples": len(points),
        }
        if len(second) >= 2:
            slope = statistics.linear_regression([t for t, _mb in second], [mb for _t, mb in second]).slope * 60
            growth = slope * (second[-1][0] - second[0][0]) / 60
            figures |= {
                "second_half_mb_per_min": round(slope, 2),
                "second_half_growth_mb": round(growth, 1),
                "stable": growth < MEMORY_LIMIT_MB or growth < MEMORY_LIMIT_FRACTION * second[0][1],
            }
        workers[str(pid)] = figures
    return workers


def criteria(requests, workers, sockets) -> list[tuple[str, bool, str]]:
    measured = [w for w in workers.values() if "stable" in w]
    worst = max((w["second_half_growth_mb"] for w in measured), default=None)
    return [
        ("zero 5xx and no failed connections", requests["5xx"] == 0 and requests["failed"] == 0,
         f"{requests['5xx']} 5xx, {requests['failed']} failed"),
        (f"p95 < {P95_LIMIT_MS} ms over all requests", (requests["p95_ms"] or 0) < P95_LIMIT_MS,
         f"p95 {requests['p95_ms']} ms"),
        (f"memory stable: each worker grows < {MEMORY_LIMIT_MB} MB or < {MEMORY_LIMIT_FRACTION:.0%} in the second half",
         bool(measured) and all(w["stable"] for w in measured),
         f"largest growth {worst} MB over {len(measured)} workers" if measured else "too few samples"),
        ("every answer as a browser expects it (no login redirect, CSRF or form error)", requests["unexpected"] == 0,
         f"{requests['unexpected']} unexpected"),
        ("every member's websocket open at the end", sockets["open_at_end"] == sockets["members"],
         f"{sockets['open_at_end']}/{sockets['members']} open, {sockets['dropped']} dropped"),
    ]  # fmt: skip


def print_summary(results):
    requests, sockets = results["requests"], results["websocket"]
    print(
        f"\nsoak: {results['members']} members, {results['seconds']} s, {results['scale']}: "
        f"{requests['requests']} requests ({requests['requests'] / results['seconds']:.1f}/s), "
        f"{requests['5xx']} 5xx, {requests['failed']} failed, {requests['unexpected']} unexpected"
    )
    print(f"{'action':18} {'count':>6} {'5xx':>4} {'other':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    rows = [*requests["actions"].items(), ("all", requests | {"count": requests["requests"]})]
    for action, figures in rows:
        print(
            f"{action:18} {figures['count']:6} {figures['5xx']:4} {figures['unexpected'] + figures['failed']:5} "
            f"{figures['p50_ms']:8} {figures['p95_ms']:8} {figures['p99_ms']:8}"
        )
    for pid, worker in results["memory"].items():
        trend = (
            f"second half {worker['second_half_mb_per_min']:+.2f} MB/min ({worker['second_half_growth_mb']:+.1f} MB)"
            if "stable" in worker
            else "too few samples for a trend"
        )
        print(
            f"worker {pid}: RSS first {worker['first_mb']} MB, last {worker['last_mb']} MB, "
            f"max {worker['max_mb']} MB; {trend}"
        )
    connections = [sample["db_connections"] for sample in results["server_samples"]]
    print(
        f"database connections: first {connections[0]}, last {connections[-1]}, max {max(connections)} "
        f"(every {SAMPLE_EVERY} s)"
    )
    print(
        f"websockets: {sockets['open_at_end']}/{sockets['members']} open at the end; opened {sockets['opened']}, "
        f"failed {sockets['failed']}, dropped {sockets['dropped']}; {sockets['pushes']} pushes received"
    )
    for name, passed, detail in results["criteria"]:
        print(f"  {'PASS' if passed else 'FAIL'}  {name}: {detail}")
    print("PASSED" if results["passed"] else "FAILED")


def write_requests(log, path):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["seconds", "action", "status", "ms"])
        writer.writerows(log)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=600, help="length of the run (default 600)")
    parser.add_argument("--members", type=int, default=50, help="concurrent members (default 50)")
    parser.add_argument(
        "--seed", action="store_true", help="reseed the bench database first (seed_bench --scale 0.05 --reset)"
    )
    args = parser.parse_args()

    env = server_env()
    (BASE_DIR / "var").mkdir(exist_ok=True)
    if args.seed:
        ensure_database()
        manage("migrate", "--noinput", env=env)
        manage("seed_bench", "--scale", "0.05", "--reset", env=env)
    else:
        wait_for_seeding()
        manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    scale = bench_scale()
    plans = member_plans(args.members)
    connections.close_all()  # the server needs the connections, not this process

    raise_open_files_limit()
    server = start_server(env)
    print(f"soak: {args.members} members for {args.seconds} s on port {PORT} ({scale})", flush=True)
    try:
        run = soak(server, plans, seconds=args.seconds)
    finally:
        stop_server(server)

    day = datetime.now(UTC).strftime("%Y-%m-%d")
    requests_path = BASE_DIR / "var" / f"soak-{day}-requests.csv"
    write_requests(run["log"], requests_path)
    requests = request_figures(run["log"])
    memory = memory_figures(run["samples"], args.seconds)
    checks = criteria(requests, memory, run["sockets"])
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info() | {"load_generator": "bench/soak.py (threads, urllib, websockets) on the same host"},
        "scale": scale,
        "members": args.members,
        "seconds": args.seconds,
        "think_seconds": list(THINK_SECONDS),
        "steps": STEPS,
        "requests": requests,
        "timeline": timeline(run["log"], args.seconds),
        "memory": memory,
        "server_samples": run["samples"],
        "websocket": run["sockets"],
        "criteria": [{"name": name, "passed": passed, "detail": detail} for name, passed, detail in checks],
        "passed": all(passed for _name, passed, _detail in checks),
        "requests_log": str(requests_path.relative_to(BASE_DIR)),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"soak-{day}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print_summary(results | {"criteria": checks})
    print(f"results: {path.relative_to(BASE_DIR)}, every request: {requests_path.relative_to(BASE_DIR)}")
    sys.exit(0 if results["passed"] else 1)


if __name__ == "__main__":
    main()
