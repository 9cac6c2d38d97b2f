"""Locust users for bench/load.py: the public board and needs, the startup directory and search (signed in),
and the REST API (token). Ids, session and token come from the seed file named in LOAD_SEED."""
# ruff: noqa: S311 - random picks of pages to read, nothing secret

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, events, task

SEED = json.loads(Path(os.environ["LOAD_SEED"]).read_text()) if os.environ.get("LOAD_SEED") else {}
# Every request's time, one line each ("name<TAB>ms<TAB>unix time"), for counts of slow requests and stalls.
TIMES = open(os.environ["LOAD_TIMES"], "a", buffering=1) if os.environ.get("LOAD_TIMES") else None  # noqa: SIM115


@events.request.add_listener
def _record(request_type: str, name: str, response_time: float, **kwargs: object) -> None:
    if TIMES is not None:
        import time

        TIMES.write(f"{name}\t{response_time:.1f}\t{time.time():.3f}\n")


WORDS = ["Antrag", "Verkehr", "Daten", "KI", "Schule", "Energie", "Wasser", "Bau", "Chatbot", "Texterkennung"]


class Person(HttpUser):
    """A person who reads a page, thinks for about a second, and reads the next."""

    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", SEED["session"])
        self.api = {"Authorization": f"Bearer {SEED['token']}"}

    @task(3)
    def board(self) -> None:
        self.client.get(f"/bedarfe/?page={random.randint(1, 20)}", name="/bedarfe/")

    @task(2)
    def need(self) -> None:
        self.client.get(f"/bedarfe/{random.choice(SEED['needs'])}/", name="/bedarfe/<id>/")

    @task(2)
    def directory(self) -> None:
        self.client.get(f"/startups/?page={random.randint(1, 20)}", name="/startups/")

    @task(1)
    def startup(self) -> None:
        self.client.get(f"/startups/{random.choice(SEED['startups'])}/", name="/startups/<id>/")

    @task(2)
    def search(self) -> None:
        self.client.get(f"/suche/?q={random.choice(WORDS)}", name="/suche/?q=")

    @task(2)
    def api_needs(self) -> None:
        self.client.get("/api/v1/needs", headers=self.api, name="API /needs")

    @task(1)
    def api_startups(self) -> None:
        self.client.get(f"/api/v1/startups?page={random.randint(1, 20)}", headers=self.api, name="API /startups")

    @task(1)
    def api_solutions(self) -> None:
        self.client.get("/api/v1/solutions", headers=self.api, name="API /solutions")


class Baseline(HttpUser):
    """The same rhythm against the bare Django page."""

    wait_time = between(0.5, 1.5)

    @task
    def page(self) -> None:
        self.client.get("/", name="bare Django page")
