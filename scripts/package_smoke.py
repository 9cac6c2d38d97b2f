"""Install the release wheel outside the checkout and exercise it as an operator would (issue 20).

    python scripts/package_smoke.py dist/          (``make package-test``; .ci/run runs it)

In a fresh temporary directory, far from the checkout: a new virtual environment gets the locked runtime
dependencies (``requirements/runtime.lock``, hashes required) and the wheel without dependencies. Then, in that
directory only:

1. ``lotsenhaus --version`` names the wheel's version;
2. under **production settings** (behind the documented proxy): ``migrate``, ``createcachetable``,
   ``collectstatic``, ``check --deploy --fail-level WARNING``; ``demo`` is refused; the server answers
   ``/livez``, ``/healthz`` (with the version), the German start page and its stylesheet;
3. under the **trial settings**: ``lotsenhaus demo --no-serve`` builds the demo world, the server starts and a
   walk over HTTP finds German pages, the published demo needs, the legal sources (rules shipped as data),
   the AI register's downloads, the OpenAPI document, and signs a need owner in.

Every step prints its time; the script exits non-zero at the first failure, with the server's log.
"""

import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.harness import free_port, step  # noqa: E402


def run(args: list[str], env: dict[str, str], cwd: Path, *, expect_ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=900, check=False)
    if expect_ok and result.returncode != 0:
        sys.exit(f"FAILED: {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return result


class Server:
    def __init__(self, lotsenhaus: Path, env: dict[str, str], cwd: Path, name: str) -> None:
        self.port = free_port()
        self.log = cwd / f"{name}.log"
        self.process = subprocess.Popen(
            [str(lotsenhaus), "serve", f"127.0.0.1:{self.port}", "--workers", "1"],
            env=env,
            cwd=cwd,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/livez", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
        self.fail("the server did not start")

    def fail(self, message: str) -> None:
        self.stop()
        sys.exit(f"FAILED: {message}\n--- server log ---\n{self.log.read_text()[-6000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


class Browser:
    """A client with cookies; behind the proxy it says https as the proxy would."""

    def __init__(self, server: Server, headers: dict[str, str] | None = None) -> None:
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.headers = {"Accept-Language": "de", **(headers or {})}

    def get(self, path: str, *, status: int = 200, contains: tuple[str, ...] = ()) -> str:
        return self._open(urllib.request.Request(self.server.base + path, headers=self.headers), status, contains)

    def post(self, path: str, data: dict[str, str], *, contains: tuple[str, ...] = ()) -> str:
        body = urllib.parse.urlencode(data).encode()
        headers = {**self.headers, "Referer": self.server.base + path}
        return self._open(urllib.request.Request(self.server.base + path, body, headers), 200, contains)

    def _open(self, request: urllib.request.Request, status: int, contains: tuple[str, ...]) -> str:
        try:
            response = self.opener.open(request, timeout=30)
            code, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            code, text = error.code, error.read().decode("utf-8", "replace")
        if code != status:
            self.server.fail(f"{request.full_url}: HTTP {code}, expected {status}\n{text[:2000]}")
        for needle in contains:
            if needle not in text:
                self.server.fail(f"{request.full_url}: {needle!r} not in the answer\n{text[:2000]}")
        return text


def main() -> None:
    dist = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist").resolve()
    wheels = sorted(dist.glob("lotsenhaus-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one wheel in {dist}, found {wheels}")
    wheel = wheels[0]
    version = wheel.name.split("-")[1]
    work = Path(tempfile.mkdtemp(prefix="lotsenhaus-package-"))
    assert ROOT not in work.parents
    step(f"{wheel.name} → {work}")
    try:
        exercise(wheel, version, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    step("package smoke test passed")


def check_contents(wheel: Path) -> None:
    """Every file of the package that git tracks (templates, rules, data, catalogues' sources) is in the wheel,
    and so are the compiled catalogues and the vendored assets that git ignores."""
    tracked = subprocess.run(
        ["git", "ls-files", "lotsenhaus"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = [path for path in tracked if path not in names]
    required = [
        "lotsenhaus/locale/de/LC_MESSAGES/django.mo",
        "lotsenhaus/locale_overrides/de/LC_MESSAGES/django.mo",
        "lotsenhaus/vendor/kern/kern.min.css",
        "lotsenhaus/vendor/htmx/htmx.min.js",
    ]
    missing += [path for path in required if path not in names]
    if missing:
        sys.exit(f"FAILED: the wheel lacks {len(missing)} files, e.g. {missing[:10]}")
    licences = [n for n in names if n.endswith(("/LICENSE", "/NOTICE")) and ".dist-info/" in n]
    if len(licences) != 2:
        sys.exit(f"FAILED: LICENSE and NOTICE are not in the wheel's metadata: {licences}")
    step(f"the wheel holds all {len(tracked)} tracked files of the package, the catalogues and the assets")


def exercise(wheel: Path, version: str, work: Path) -> None:
    check_contents(wheel)
    run([sys.executable, "-m", "venv", str(work / "venv")], dict(os.environ), work)
    pip = [str(work / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "--require-hashes", "-r", str(ROOT / "requirements" / "runtime.lock")], dict(os.environ), work)
    run([*pip, "--no-deps", str(wheel)], dict(os.environ), work)
    lotsenhaus = work / "venv" / "bin" / "lotsenhaus"
    step("installed the locked runtime dependencies and the wheel")

    # Nothing of the checkout may be found: not its settings, its node_modules, its var/ or its code.
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOTSENHAUS_", "DATABASE_URL"))}
    clean.pop("PYTHONPATH", None)
    printed = run([str(lotsenhaus), "--version"], clean, work).stdout.strip()
    if printed != f"lotsenhaus {version}":
        sys.exit(f"FAILED: --version printed {printed!r}")
    python = str(work / "venv" / "bin" / "python")
    where = run([python, "-c", "import lotsenhaus; print(lotsenhaus.__file__)"], clean, work)
    if str(work / "venv") not in where.stdout:
        sys.exit(f"FAILED: lotsenhaus imported from {where.stdout}")

    production = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "lotsenhaus.settings.production",
        "SECRET_KEY": "package-smoke-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOTSENHAUS_BASE_URL": "https://127.0.0.1",
        "LOTSENHAUS_BEHIND_PROXY": "1",
        "DATABASE_URL": os.environ.get("PACKAGE_DATABASE_URL", f"sqlite:///{work / 'production.sqlite3'}"),
        "LOTSENHAUS_VAR_DIR": str(work / "production-var"),
        "LOTSENHAUS_STATIC_ROOT": str(work / "static"),
        "EMAIL_HOST": "127.0.0.1",
        "LOTSENHAUS_METRICS_TOKEN": "package-smoke-metrics-token",
    }
    for command in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic", "--noinput"]):
        run([str(lotsenhaus), *command], production, work)
    step("production: migrate, createcachetable, collectstatic")
    check = run([str(lotsenhaus), "check", "--deploy", "--fail-level", "WARNING"], production, work)
    step(f"production: check --deploy: {check.stdout.strip()}")
    refused = run([str(lotsenhaus), "demo", "--no-serve"], production, work, expect_ok=False)
    if refused.returncode == 0 or "refused under production settings" not in refused.stderr:
        sys.exit(f"FAILED: demo ran under production settings\n{refused.stdout}\n{refused.stderr}")
    step("production: demo refused")

    server = Server(lotsenhaus, production, work, "production")
    try:
        browser = Browser(server, {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"})
        browser.get("/livez", contains=('"ok"',))
        health = json.loads(browser.get("/healthz"))
        if health.get("version") != version or health.get("status") != "ok":
            server.fail(f"/healthz answered {health}")
        home = browser.get("/", contains=("Impressum", 'lang="de"'))
        stylesheet = re.search(r'href="(/static/kern/kern\.min[^"]*\.css)"', home)
        if not stylesheet:
            server.fail("no KERN stylesheet on the start page")
        browser.get(stylesheet.group(1), contains=(".kern-",))
        proxied = {"X-Forwarded-Proto": "https"}
        scrape = Browser(server, {**proxied, "Authorization": "Bearer package-smoke-metrics-token"})
        scrape.get("/metrics", contains=('lotsenhaus_http_request_duration_seconds_count{method="GET",route="/"',))
        Browser(server, proxied).get("/metrics", status=404)
        step("production: /livez, /healthz, German start page, KERN stylesheet, /metrics (token only) served")
    finally:
        server.stop()

    trial = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "lotsenhaus.settings.base",
        "LOTSENHAUS_VAR_DIR": str(work / "trial-var"),
        "LOTSENHAUS_STATIC_ROOT": str(work / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    built = run([str(lotsenhaus), "demo", "--no-serve"], trial, work)
    step("trial: " + built.stdout.strip().splitlines()[0])
    server = Server(lotsenhaus, trial, work, "trial")
    try:
        browser = Browser(server)
        browser.get("/bedarfe/", contains=("Bedarfe",))
        browser.get("/rechtsquellen/", contains=("KI-Verordnung",))
        browser.get("/ki-register/", contains=("KI-Register",))
        register = json.loads(browser.get("/ki-register/algoritmeregister.json"))
        if not register:
            server.fail("the Algoritmeregister download is empty")
        browser.get("/api/v1/openapi.json", contains=('"openapi"',))
        login = browser.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
        if not token:
            server.fail("no CSRF token on the sign-in page")
        browser.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "login": "bedarf@bsw.hamburg.de", "password": "lotsenhaus-demo"},
            contains=("Bernd",),
        )
        browser.get("/start/", contains=("Bernd",))
        step(f"trial: demo world walked over HTTP (register: {len(register)} records), need owner signed in")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
