"""Several servers, rehearsed on this machine (issue #14).

    .venv/bin/python bench/rehearsal.py [--minutes 4] [--write docs/LOAD.md]

Starts two application servers (gunicorn with production settings, on two ports, as two hosts
would), a Redis of its own as their shared cache, nginx from Debian in front of them as the
load balancer (round robin, passive health checks), all on the local PostgreSQL, in a database
of its own. Then:

1. throughput: wrk through nginx with one server behind it, then with both;
2. the run: wrk through nginx over the main pages and the exports for `--minutes`, while it
   edits an agreement through the admin on server A and reads it back from server B at once,
   stops server A and starts it again, restarts Redis, and restarts PostgreSQL.

It stops everything it started, by process id, and prints (or writes into docs/LOAD.md) the
requests, errors per phase, median and p99 latency, and each server's cache hit ratio, from
nginx's access log. Traffic stays on 127.0.0.1. Needs nginx, wrk, redis-server (Debian).
"""

import argparse
import datetime
import html.parser
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
NGINX_PORT, SINGLE_PORT, PORTS, REDIS_PORT = 8480, 8483, {"A": 8481, "B": 8482}, 6391
DATABASE = "coopdash_rehearsal"
EDITED = "kr-mn-rare-metal-cooperation-center"
ADMIN = ("rehearsal", "a-rehearsal-pass-phrase-0123")
PAGES = [
    "/en/",
    "/ko/",
    "/en/map/",
    "/en/timeline/",
    "/en/agreements/",
    "/ko/agreements/",
    "/en/agreements/?mineral=lithium",
    "/en/coverage/",
    "/en/countries/mn/",
    "/en/minerals/rare-earths/",
    f"/en/agreements/{EDITED}/",
    "/en/agreements.csv?country=MN",
    "/en/agreements.json?mineral=lithium",
]
LOG_FORMAT = (
    "$msec $status $request_time $upstream_addr $upstream_status $upstream_http_x_cache "
    "$request_uri"
)


def run(*command, check=True, **kwargs):
    return subprocess.run(command, check=check, capture_output=True, text=True, **kwargs)


def environment(work):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {
        **clean,
        "DJANGO_SECRET_KEY": "rehearsal-secret-key-not-for-production-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "DJANGO_CACHE_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_RELEASE": "rehearsal",
        "DJANGO_STATIC_ROOT": str(work / "static"),
    }


def manage(env, *args):
    return run(str(PYTHON), "manage.py", *args, cwd=ROOT, env=env).stdout


def prepare(env):
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DATABASE}")
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DATABASE}")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_curated", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    user, password = ADMIN
    manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser({user!r}, 'r@example.org', {password!r})",
    )


class Processes:
    """Everything the rehearsal starts, stopped by process id on the way out."""

    def __init__(self, work, env):
        self.work, self.env, self.servers = work, env, {}

    def start_redis(self):
        run(
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            str(REDIS_PORT),
            "--save",
            "",
            "--appendonly",
            "no",
            "--pidfile",
            str(self.work / "redis.pid"),
            "--maxmemory",
            "256mb",
            "--maxmemory-policy",
            "allkeys-lru",
        )
        wait_for(lambda: redis_answers(), "Redis")

    def stop_redis(self):
        pid = read_pid(self.work / "redis.pid")
        if pid:
            os.kill(pid, signal.SIGTERM)
            wait_for(lambda: not alive(pid), "Redis to stop")

    def start_server(self, name):
        command = [
            str(PYTHON), "-m", "gunicorn", "-c", "python:coopdash.gunicorn",
            "--workers", "1", "--bind", f"127.0.0.1:{PORTS[name]}", "coopdash.wsgi",
        ]  # fmt: skip
        with open(self.work / f"gunicorn-{name}.log", "a") as log:
            self.servers[name] = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_for(lambda: get(PORTS[name], "/health/live/")[0] == 200, f"server {name}")

    def stop_server(self, name):
        server = self.servers.pop(name)
        server.terminate()  # gunicorn finishes the requests in flight, then stops
        server.wait(timeout=30)

    def start_nginx(self):
        for port, names in ((NGINX_PORT, "AB"), (SINGLE_PORT, "A")):
            (self.work / f"nginx-{port}.conf").write_text(nginx_conf(self.work, port, names))
            run("nginx", "-p", str(self.work), "-c", str(self.work / f"nginx-{port}.conf"))

    def stop_nginx(self):
        for port in (NGINX_PORT, SINGLE_PORT):
            pid = read_pid(self.work / f"nginx-{port}.pid")
            if pid:
                os.kill(pid, signal.SIGQUIT)

    def stop_all(self):
        for name in list(self.servers):
            self.stop_server(name)
        self.stop_nginx()
        self.stop_redis()


def nginx_conf(work, port, names):
    servers = "\n".join(
        f"        server 127.0.0.1:{PORTS[name]} max_fails=1 fail_timeout=3s;" for name in names
    )
    return f"""
pid {work}/nginx-{port}.pid;
error_log {work}/nginx-{port}-error.log warn;
worker_processes 1;
events {{ worker_connections 512; }}
http {{
    access_log off;
    log_format timed '{LOG_FORMAT}';
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    upstream coopdash {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        access_log {work}/access-{port}.log timed;
        location / {{
            proxy_pass http://coopdash;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # Passive health checks: a server that refuses or fails is skipped for 3 s, and
            # the request is tried on the other (GETs only).
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 1s;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""


def read_pid(path):
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def wait_for(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gave up waiting for {what}")


def redis_answers():
    return run("redis-cli", "-p", str(REDIS_PORT), "ping").stdout.strip() == "PONG"


def get(port, path, headers=None):
    """(status, headers, body) of one GET to 127.0.0.1:port, as the TLS proxy would send it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


class FormReader(html.parser.HTMLParser):
    """The fields of the admin's change form, as the browser would post them."""

    def __init__(self):
        super().__init__()
        self.fields, self.select, self.textarea, self.inside = [], None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            ticked = attrs.get("type") in ("checkbox", "radio")
            if ticked and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if ticked else "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data


class AdminSession:
    """An editor signed in on one server, over HTTP as the proxy forwards it."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, fields=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1:{self.port}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location"), response.read().decode()

    def form(self, path):
        _status, _location, page = self.request("GET", path)
        reader = FormReader()
        reader.feed(page)
        return reader.fields

    def sign_in(self):
        fields = dict(self.form("/admin/login/"))
        user, password = ADMIN
        fields.update(username=user, password=password, next="/admin/")
        status, _location, _page = self.request("POST", "/admin/login/?next=/admin/", fields)
        assert status == 302, "could not sign in"

    def rename(self, object_id, title):
        path = f"/admin/partners/agreement/{object_id}/change/"
        fields = [(k, v) for k, v in self.form(path) if k != "title_en"]
        fields += [("title_en", title), ("_save", "Save")]
        status, _location, page = self.request("POST", path, fields)
        assert status == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', page)[:3]


def wrk(port, seconds, connections=16, script=None):
    """Requests per second through nginx on `port`."""
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-H",
        "Accept-Encoding: gzip",
    ]
    if script:
        command += ["--script", str(script)]
    out = run(*command, f"http://127.0.0.1:{port}").stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), out


def pages_script(work):
    paths = ", ".join(f'"{path}"' for path in PAGES)
    script = work / "pages.lua"
    script.write_text(
        f"local paths = {{ {paths} }}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        '  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n'
    )
    return script


def events(processes, env, start, seconds, record, skip_postgres=False):
    """What happens during the run, at fixed offsets (seconds from the start)."""
    schedule = {
        "edit on A, read on B": seconds * 0.12,
        "server A stopped": seconds * 0.25,
        "server A back": seconds * 0.35,
        "Redis restarted": seconds * 0.50,
        "PostgreSQL restarted": seconds * 0.75,
    }
    if skip_postgres:
        del schedule["PostgreSQL restarted"]
    object_id = manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        f"from partners.models import Agreement; print(Agreement.objects.get(slug={EDITED!r}).pk)",
    ).strip()
    for name, offset in schedule.items():
        time.sleep(max(0, start + offset - time.time()))
        began = time.time()
        detail = ""
        if name.startswith("edit"):
            title = (
                f"Korea–Mongolia Rare Metal Cooperation Center (edited at {time.strftime('%T')})"
            )
            editor = AdminSession(PORTS["A"])
            editor.sign_in()
            get(PORTS["B"], f"/en/agreements/{EDITED}/")  # B has the old page in the cache
            editor.rename(object_id, title)
            status, headers, body = get(PORTS["B"], f"/en/agreements/{EDITED}/")
            shown = title.encode() in body
            detail = (
                f"the next request to B ({status}, cache {headers.get('X-Cache')}) "
                f"{'shows' if shown else 'DOES NOT show'} the edit"
            )
            record["edit visible on B"] = shown
        elif name == "server A stopped":
            processes.stop_server("A")
        elif name == "server A back":
            processes.start_server("A")
        elif name == "Redis restarted":
            processes.stop_redis()
            processes.start_redis()
        elif name == "PostgreSQL restarted":
            cluster = sorted(os.listdir("/etc/postgresql"), key=float)[-1]
            run("pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart")
            wait_for(
                lambda: run("pg_isready", "-h", "127.0.0.1", check=False).returncode == 0,
                "PostgreSQL",
            )
        record["events"].append((name, began, time.time(), detail))


def read_log(path):
    rows = []
    for line in path.read_text().splitlines():
        stamp, status, seconds, upstream, _upstream_status, cache, uri = line.split(" ", 6)
        rows.append((float(stamp), int(status), float(seconds), upstream, cache, uri))
    return rows


# A logged line's time: Django's (settings.LOGGING: "2026-11-24T02:00:00+0900") or
# gunicorn's ("[2026-11-23 17:00:00 +0000]").
STAMP = re.compile(r"^\[?(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d) ?([+-]\d{4})")


def tracebacks(path):
    """(time, last exception line) of every traceback in a server's log."""
    found, stamp, exception, inside = [], 0.0, None, False
    for line in path.read_text(errors="replace").splitlines() + ["[0001-01-01 00:00:00 +0000]"]:
        if match := STAMP.match(line):
            if inside and exception:
                found.append((stamp, exception))
            inside = False
            stamp = datetime.datetime.strptime(" ".join(match.groups()), "%Y-%m-%d %H:%M:%S %z")
            stamp = stamp.timestamp()
        elif line.startswith("Traceback (most recent call last):"):
            inside, exception = True, None
        elif inside and line.strip() and not line.startswith((" ", "\t", "The above", "During")):
            exception = line.strip()  # chained: the last one raised is the one that counts
    return found


def grouped_tracebacks(found, record, start):
    """Markdown lines: the tracebacks grouped by exception and by the event they fell in."""
    marks = [(n, b - 1, f + 5) for n, b, f, _ in record["events"] if n != "edit on A, read on B"]
    groups = {}
    for stamp, exception in found:
        during = next((n for n, low, high in marks if low <= stamp <= high), None)
        kind = exception.split(":", 1)[0].rsplit(".", 1)[-1]
        message = exception.split(":", 1)[1].strip()[:60] if ":" in exception else ""
        key = (kind, message, during or f"outside any stop or restart, at {stamp - start:.0f} s")
        groups[key] = groups.get(key, 0) + 1
    return [
        f"  - {count} × `{kind}: {message}` ({during})"
        for (kind, message, during), count in sorted(groups.items(), key=lambda g: -g[1])
    ]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def report(rows, record, start, end, throughput):
    """The figures of the run, as Markdown."""
    marks = [(name, began, finished) for name, began, finished, _ in record["events"]]
    edges = [start] + [began for _, began, _ in marks] + [end]
    names = ["before anything"] + [name for name, _, _ in marks]
    lines = [
        "| phase | from (s) | requests | failed | median ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, low, high in zip(names, edges, edges[1:]):
        window = [r for r in rows if low <= r[0] < high]
        failed = sum(1 for r in window if r[1] >= 500 or r[1] == 0)
        times = [r[2] * 1000 for r in window]
        lines.append(
            f"| {name} | {low - start:.0f} | {len(window)} | {failed} | "
            f"{statistics.median(times) if times else 0:.0f} | {percentile(times, 0.99):.0f} |"
        )
    # Failures outside the seconds of a restart (each restart's window plus 5 s).
    windows = [(b - 1, f + 5) for n, b, f in marks if "restart" in n or "stopped" in n]
    stray = [r for r in rows if r[1] >= 500 and not any(a <= r[0] <= b for a, b in windows)]
    per_server = []
    for name, port in PORTS.items():
        served = [r for r in rows if r[3].endswith(f":{port}") and r[4] in ("hit", "miss")]
        hits = sum(1 for r in served if r[4] == "hit")
        per_server.append(
            f"| {name} (:{port}) | {len([r for r in rows if r[3].endswith(f':{port}')])} | "
            f"{hits / len(served) * 100 if served else 0:.1f} % |"
        )
    one, two = throughput
    details = "\n".join(
        f"- {name} at {began - start:.0f} s, took {finished - began:.1f} s"
        + (f": {detail}" if detail else "")
        for name, began, finished, detail in record["events"]
    )
    return "\n".join(
        [
            f"Through nginx, {len(rows)} requests in {end - start:.0f} s "
            f"({len(rows) / (end - start):.0f} requests/s), 32 connections.",
            "",
            *lines,
            "",
            "| server | requests answered | page-cache hit ratio |",
            "| --- | ---: | ---: |",
            *per_server,
            "",
            details,
            f"- failed requests outside the seconds of a stop or restart: {len(stray)}",
            f"- the edit made on A was on B's very next request: "
            f"{'yes' if record.get('edit visible on B') else 'NO'}",
            f"- throughput through nginx over the same page mix (median of 3 alternating rounds): "
            f"one server {one:.0f} requests/s, two servers {two:.0f} requests/s "
            f"({two / one:.2f}×)",
        ]
    )


def write(document, section):
    path = ROOT / document
    text = path.read_text() if path.exists() else "# Load\n"
    heading = "## Rehearsal: two servers behind nginx"
    body = f"{heading}\n\n{section}\n"
    if heading in text:
        before, _, rest = text.partition(heading)
        after = rest.split("\n## ", 1)
        text = before + body + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip() + "\n\n" + body
    path.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=4)
    parser.add_argument("--throughput-seconds", type=int, default=15, help="per round (3 each)")
    parser.add_argument("--write", help="a document to write the figures into (docs/LOAD.md)")
    parser.add_argument("--logs", help="where to keep the servers' and nginx's logs")
    parser.add_argument(
        "--skip-postgres",
        action="store_true",
        help="do not restart PostgreSQL (for a trial while others use it)",
    )
    args = parser.parse_args()
    for tool in ("nginx", "wrk", "redis-server", "redis-cli", "pg_ctlcluster", "psql"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed: apt-get install -y nginx wrk redis-server")
    work = Path(tempfile.mkdtemp(prefix="coopdash-rehearsal-"))
    # nginx's workers (not root) write its buffers there.
    work.chmod(0o755)
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / folder).mkdir(mode=0o777)
        (work / folder).chmod(0o777)
    env = environment(work)
    processes = Processes(work, env)
    try:
        processes.start_redis()
        prepare(env)
        processes.start_server("A")
        processes.start_server("B")
        processes.start_nginx()
        script = pages_script(work)
        for port in (SINGLE_PORT, NGINX_PORT):
            wrk(port, 3, script=script)  # warm: connections, caches
        # Alternating rounds, medians: the two cores are shared by everything.
        rounds = {SINGLE_PORT: [], NGINX_PORT: []}
        for _ in range(3):
            for port in rounds:
                rounds[port].append(wrk(port, args.throughput_seconds, script=script)[0])
        one, two = (statistics.median(rounds[port]) for port in (SINGLE_PORT, NGINX_PORT))
        seconds = int(args.minutes * 60)
        record = {"events": []}
        start = time.time()
        controller = threading.Thread(
            target=events, args=(processes, env, start, seconds, record, args.skip_postgres)
        )
        controller.start()
        wrk(NGINX_PORT, seconds, connections=32, script=script)
        controller.join()
        end = time.time()
        rows = [r for r in read_log(work / f"access-{NGINX_PORT}.log") if r[0] >= start]
        section = report(rows, record, start, end, (one, two))
        found = [t for n in PORTS for t in tracebacks(work / f"gunicorn-{n}.log")]
        found = [t for t in found if t[0] >= start - 1]  # the run's, not the throughput rounds'
        section += f"\n- tracebacks in the servers' logs during the run: {len(found)}\n"
        section += "".join(f"{line}\n" for line in grouped_tracebacks(found, record, start))
        logs = Path(args.logs or tempfile.mkdtemp(prefix="coopdash-rehearsal-logs-"))
        logs.mkdir(parents=True, exist_ok=True)
        for name in [*(f"gunicorn-{n}.log" for n in PORTS), f"access-{NGINX_PORT}.log"]:
            shutil.copy(work / name, logs / name)
        print(f"logs kept in {logs}", file=sys.stderr)
        section += (
            f"\nRun on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores shared by everything "
            "(two gunicorn servers of 1 worker × 4 threads, nginx, Redis, PostgreSQL 15, wrk), "
            f"with `.venv/bin/python bench/rehearsal.py --minutes {args.minutes:g}`."
        )
        print(section)
        if args.write:
            write(args.write, section)
    finally:
        processes.stop_all()
        run(
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-qc",
            f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)",
            check=False,
        )
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
