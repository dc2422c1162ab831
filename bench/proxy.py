"""nginx in front of the app with the shipped configuration, for `make bench` and the tests.

``config/nginx/portal.conf`` is what production runs; ``config/nginx/standalone.conf`` wraps it
in a whole nginx.conf that runs as a child process in a scratch folder (its own cache, temp
folders, pid and error log; nothing under /etc or /var). ``render`` fills in the
``${PORTAL_...}`` placeholders and refuses a missing or unknown one. ``running_nginx`` starts
nginx in front of an app address and stops it again; it also serves a folder of plain files on
a second port, the ceiling the bench compares the cached pages with. ``ensure_tools`` installs
nginx and wrk from Debian when they are missing (as root), ``wrk_rate`` loads a URL with wrk, and
``proxy_throughput`` is the bench's measurement of public reads at the proxy (and, with
``overload``, of the period page while clients download the national file nginx sends).
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config" / "nginx"
PLACEHOLDER = re.compile(r"\$\{(PORTAL_[A-Z_]+)\}")
MIME_TYPES = Path("/etc/nginx/mime.types")


def render(template: str, values: dict) -> str:
    """The template with every ``${PORTAL_...}`` replaced; a missing or unused value is an
    error, so the configuration and its callers cannot drift apart silently."""
    names = set(PLACEHOLDER.findall(template))
    missing, unused = names - set(values), set(values) - names
    if missing or unused:
        raise ValueError(f"placeholders missing {sorted(missing)}, unused {sorted(unused)}")
    return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), template)


def nginx_binary():
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(path, os.X_OK)), None
    )


def ensure_tools():
    """nginx and wrk, installed from Debian with apt-get when missing and this is root.
    Returns the list of what is still missing, and why."""
    wanted = {"nginx": nginx_binary(), "wrk": shutil.which("wrk")}
    missing = [name for name, path in wanted.items() if path is None]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"   installing {' '.join(missing)} with apt-get", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
            env=env,
            check=False,
        )
        wanted = {"nginx": nginx_binary(), "wrk": shutil.which("wrk")}
        missing = [name for name, path in wanted.items() if path is None]
    if missing and (os.geteuid() != 0 or not shutil.which("apt-get")):
        return [f"{name} (not root with apt-get: install {name} by hand)" for name in missing]
    return [f"{name} (apt-get install failed)" for name in missing]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} after {seconds} s")


def stop(process):
    """Stop a child started in its own session, and everything it started."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def running_nginx(app, static_root, files_root, workers="auto", downloads_root=None):
    """nginx with the shipped configuration in front of ``app`` (host:port), static files from
    ``static_root``, open-data downloads from ``downloads_root`` (the app's
    BUILD_DIR/opendata, sent on the app's X-Accel-Redirect; an empty folder when not given), and
    ``files_root`` served plainly on a second port. Yields the two ports."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (as root: apt-get install nginx)")
    port, files_port = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="portal-nginx-") as scratch:
        run_dir = Path(scratch)
        if downloads_root is None:
            downloads_root = run_dir / "downloads"
            downloads_root.mkdir()
        portal = render(
            (CONFIG / "portal.conf").read_text(),
            {
                "PORTAL_LISTEN": f"127.0.0.1:{port}",
                "PORTAL_SERVER_NAME": "127.0.0.1 localhost",
                "PORTAL_APP": app,
                "PORTAL_STATIC_ROOT": Path(static_root).resolve(),
                "PORTAL_CACHE_DIR": run_dir / "cache",
                "PORTAL_DOWNLOADS_ROOT": Path(downloads_root).resolve(),
            },
        )
        (run_dir / "portal.conf").write_text(portal)
        standalone = render(
            (CONFIG / "standalone.conf").read_text(),
            {
                "PORTAL_WORKERS": workers,
                "PORTAL_RUN_DIR": run_dir,
                "PORTAL_MIME_TYPES": MIME_TYPES,
                "PORTAL_FILES_LISTEN": f"127.0.0.1:{files_port}",
                "PORTAL_FILES_ROOT": Path(files_root).resolve(),
            },
        )
        (run_dir / "nginx.conf").write_text(standalone)
        command = [binary, "-p", str(run_dir), "-c", str(run_dir / "nginx.conf")]
        command += ["-e", str(run_dir / "error.log")]
        if os.geteuid() == 0:
            # As root nginx would hand its workers to "nobody", who may not read this folder.
            command += ["-g", "user root;"]
        checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t: {checked.stderr.strip()}")
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            wait_for_port(port, process)
            wait_for_port(files_port, process)
            yield port, files_port
        finally:
            stop(process)


@contextmanager
def running_gunicorn(env, workers=3):
    """gunicorn with config/gunicorn.py on a free loopback port; yields the port."""
    port = free_port()
    env = {**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process, seconds=60)
        yield port
    finally:
        stop(process)


def wrk_rate(url, seconds, connections, threads=2):
    """Requests per second from wrk, and how many answers were not 2xx or 3xx."""
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": round(float(rate.group(1)), 1),
        "requests": int(total.group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def get(port, path, **headers):
    """One GET on 127.0.0.1: status, headers and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def build_downloads(env, build_dir, download_path):
    """Build the national download the overload row fetches, as a deploy script would: the
    ``build_downloads`` command, in its own process, into ``build_dir``. Returns its seconds."""
    name, fmt = Path(download_path).name.split(".")
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "build_downloads", "--dataset", name, "--format", fmt]
        + ["--language", "sv", "--verbosity", "0"],
        cwd=ROOT,
        env={**env, "BUILD_DIR": str(build_dir)},
        check=True,
    )
    return round(time.monotonic() - started, 1)


def proxy_throughput(period_path, seconds, connections, env, fallback_load, overload=None):
    """Public reads at the proxy: the period page through nginx's cache (gunicorn behind it)
    against the same nginx sending a static file of the same bytes. wrk loads both; without wrk
    ``fallback_load(port, path, seconds, connections)`` does, which caps both rates at what one
    Python process can ask for (said in the result).

    gunicorn runs as production does behind this nginx: the open-data files are built
    beforehand (``build_downloads``) and sent by nginx on the app's X-Accel-Redirect
    (``DOWNLOADS_ACCEL_REDIRECT``), from a scratch BUILD_DIR."""
    missing = ensure_tools()
    if any(name.startswith("nginx") for name in missing):
        return {"note": f"not measured: {', '.join(missing)}"}
    tool = "wrk" if shutil.which("wrk") else "the bench's own load loop (wrk missing)"
    download_path = "/data/handelser.csv"
    with (
        tempfile.TemporaryDirectory(prefix="portal-files-") as files,
        tempfile.TemporaryDirectory(prefix="portal-built-") as build_dir,
    ):
        env = {
            **env,
            "TRUSTED_PROXIES": "127.0.0.1",
            "BUILD_DIR": build_dir,
            "DOWNLOADS_ACCEL_REDIRECT": "/_downloads/",
        }
        build_seconds = build_downloads(env, build_dir, download_path) if overload else None
        downloads_root = Path(build_dir) / "opendata"
        downloads_root.mkdir(exist_ok=True)
        with (
            running_gunicorn(env) as app_port,
            running_nginx(
                f"127.0.0.1:{app_port}",
                ROOT / "staticfiles",
                files,
                downloads_root=downloads_root,
            ) as (port, files_port),
        ):
            results = _proxy_rates(
                port, files_port, files, period_path, seconds, connections, fallback_load
            )
            results["tool"] = tool
            if overload is not None:
                # The production path: 8 clients downloading the national CSV through nginx
                # while the period page is timed through nginx too.
                results["overload"] = overload(port, period_path, download_path, seconds)
                results["overload"]["build_s"] = build_seconds
                results["overload"]["served_by"] = "nginx (X-Accel-Redirect)"
    static = results["static file (nginx)"]["rps"]
    proxied = results["period through the proxy cache"]["rps"]
    results["ratio"] = round(proxied / static, 2) if static else None
    return results


def _proxy_rates(port, files_port, files, period_path, seconds, connections, fallback_load):
    """The period page through nginx's cache and the same bytes as nginx's static file."""
    get(port, period_path)  # fills the cache
    status, headers, body = get(port, period_path)
    Path(files, "period.html").write_bytes(body)
    results = {
        "server": "nginx (config/nginx/portal.conf) in front of gunicorn, 127.0.0.1",
        "connections": connections,
        "bytes": len(body),
        "cache": f"{status} {headers['X-Cache-Status']}",
    }
    for name, target_port, path in (
        ("static file (nginx)", files_port, "/period.html"),
        ("period through the proxy cache", port, period_path),
    ):
        if shutil.which("wrk"):
            wrk_rate(f"http://127.0.0.1:{target_port}{path}", 2, connections)  # warm up
            results[name] = wrk_rate(f"http://127.0.0.1:{target_port}{path}", seconds, connections)
        else:
            results[name] = fallback_load(target_port, path, seconds, connections)
    return results


def check(result):
    """Public reads at the proxy: the cached period page at least half the static file's rate."""
    if "note" in result:
        return (f"period through nginx >= 0.5 of a static file: {result['note']}", False)
    ratio = result["ratio"]
    return (
        f"period through nginx's cache {result['period through the proxy cache']['rps']} req/s "
        f">= 0.5 of nginx sending the same bytes as a file "
        f"{result['static file (nginx)']['rps']} req/s (ratio {ratio}, {result['tool']})",
        ratio is not None and ratio >= 0.5,
    )


def throughput_table(results):
    """Requests per second under load: gunicorn alone (trivial view, period page), then nginx
    (the period page from its cache, a static file of the same size)."""
    load_result, proxied = results["load"], results.get("proxy", {})
    rows = [
        ("gunicorn: trivial (/robots.txt)", load_result["trivial (/robots.txt)"]),
        ("gunicorn: period", load_result["period"]),
    ]
    for name in ("period through the proxy cache", "static file (nginx)"):
        if name in proxied:
            rows.append((f"nginx: {name}", proxied[name]))
    lines = [
        f"{'throughput':<40}  {'req/s':>10}  {'errors':>6}",
        f"{'-' * 40}  {'-' * 10}  {'-' * 6}",
    ]
    lines += [f"{name:<40}  {row['rps']:>10,.1f}  {row['errors']:>6}" for name, row in rows]
    if "note" in proxied:
        lines.append(f"nginx: {proxied['note']}")
    return "\n".join(lines)
