"""Fuzz the REST API with schemathesis against its own OpenAPI document, signed in and anonymous.

Builds the demo world in a fresh SQLite database under var/fuzz/, gives the unit a system account token,
serves the app on a free loopback port and runs schemathesis twice (as the unit, then without credentials)
with the checks "no server error", "every status is documented" and "every response matches its schema".
Path ids are taken from the demo world, so the generated requests reach real objects. Prints the figures;
exits non-zero on any failure.

    python scripts/fuzz_api.py [--examples 10] [--anonymous-examples 5] [--full] [--seconds 420]

`.ci/run` uses the time-boxed default (the examples, fuzzing and stateful phases, about 3 minutes on 2 cores);
`--full` adds schemathesis' coverage phase (boundary values for every parameter: about 10,000 cases and 10
minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scripts.harness import free_port  # noqa: E402

BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "fuzz"
UNIT_SLUG = "venture-client-einheit-der-stadt-hamburg"

# Path parameter → a query that finds a demo object of that kind (first by primary key).
IDS = {
    "need_id": "needs.Need",
    "organisation_id": "organisations.Organisation",
    "startup_id": "startups.StartupProfile",
    "solution_id": "startups.Solution",
    "use_case_id": "airegister.UseCase",
    "pilot_id": "pilots.Pilot",
    "kpi_id": "pilots.Kpi",
    "candidate_id": "exploration.Candidate",
    "call_id": "needs.Call",
    "article_id": "knowledge.Article",
    "expert_id": "knowledge.ExpertProfile",
    "event_id": "events.Event",
    "enrolment_id": "advisory.Enrolment",
}


def lotsenhaus(*args: str, env: dict[str, str]) -> str:
    command = [str(BIN / "lotsenhaus"), *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 – loopback only
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def fuzz(label: str, url: str, headers: list[str], examples: int, seconds: int, phases: str) -> tuple[int, int, float]:
    args = [str(BIN / "schemathesis"), "run", url, "--max-examples", str(examples), "--seed", "20261129"]
    args += ["--phases", phases, "--workers", "2"]
    args += ["--checks", "not_a_server_error,status_code_conformance,response_schema_conformance", "--no-color"]
    for header in headers:
        args += ["-H", header]
    started = time.monotonic()
    result = subprocess.run(args, cwd=WORK, capture_output=True, text=True, timeout=seconds, check=False)  # noqa: S603
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    generated = int(m.group(1)) if (m := re.search(r"(\d+) generated", output)) else 0
    failures = int(m.group(1)) if (m := re.search(r"(\d+) unique failure", output)) else 0
    if result.returncode != 0:
        print(output[-6000:])
        failures = max(failures, 1)
    print(f"{label:<13} {generated:>6} cases  {failures} failures  {elapsed:6.1f} s")
    return generated, failures, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=10, help="examples per operation, signed in")
    parser.add_argument("--anonymous-examples", type=int, default=5)
    parser.add_argument("--full", action="store_true", help="also the coverage phase (about 10 minutes)")
    parser.add_argument("--seconds", type=int, default=420, help="time box per run")
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{WORK / 'fuzz.sqlite3'}",
        "LOTSENHAUS_MEDIA_ROOT": str(WORK / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    lotsenhaus("demo", "--no-serve", env=env)
    token = lotsenhaus(
        "service-account",
        "fuzz@vce.hamburg.example",
        "--name",
        "Fuzz",
        "--organisation",
        UNIT_SLUG,
        "--scope",
        "write",
        env=env,
    )
    bearer = re.findall(r"\S{30,}", token)[-1]
    script = (
        "import json; from django.apps import apps; "
        f"models = {IDS!r}; "
        "print(json.dumps({k: apps.get_model(m).objects.order_by('pk').values_list('pk', flat=True).first() "
        "for k, m in models.items()}))"
    )
    ids = json.loads(lotsenhaus("shell", "-c", script, env=env).strip().splitlines()[-1])
    config = "[parameters]\n" + "".join(f'"path.{name}" = {pk}\n' for name, pk in ids.items() if pk)
    (WORK / "schemathesis.toml").write_text(config)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "lotsenhaus"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(WORK / "server.log", "w"),  # noqa: SIM115 – closed with the process
    )
    try:
        schema = f"http://127.0.0.1:{port}/api/v1/openapi.json"
        wait_for(schema)
        print(f"schemathesis against {schema} (checks: no server error, status documented, answer matches schema)")
        phases = "examples,coverage,fuzzing,stateful" if args.full else "examples,fuzzing,stateful"
        signed = fuzz("as the unit", schema, [f"Authorization: Bearer {bearer}"], args.examples, args.seconds, phases)
        anonymous = fuzz("anonymous", schema, [], args.anonymous_examples, args.seconds, phases)
    finally:
        server.terminate()
        server.wait(timeout=10)
    errors = (WORK / "server.log").read_text().count("Internal Server Error")
    print(f"server log: {errors} internal server errors")
    if signed[1] or anonymous[1] or errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
