"""The campus at scale: N published articles, N events with registrations, N startups in the advisory track and
N notifications for one person. Prints, per page, the queries (the same for 1 and for N rows) and the median
render time, plus the fan-out of one notification to many people and the Markdown rendering of a long article.

    python bench/campus.py [--n 200] [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, fresh_django, median_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    fresh_django("campus")
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from lotsenhaus.advisory import services as advisory
    from lotsenhaus.core.roles import Role
    from lotsenhaus.events import services as events
    from lotsenhaus.knowledge import services as knowledge
    from lotsenhaus.knowledge.markdown import render_markdown
    from lotsenhaus.notifications import services as notifications
    from tests.factories import make_person
    from tests.pipeline import startup

    coordinator = make_person(Role.COORDINATOR)
    admin = make_person(Role.PLATFORM_ADMIN)
    body = (ROOT / "lotsenhaus" / "demo" / "data" / "verwaltung-verkaufen.md").read_text()
    client = Client()
    client.force_login(coordinator)

    def add(index: int) -> None:
        article = knowledge.article_create(
            actor=coordinator, kind="guide", title=f"Leitfaden {index}", body=body, tags=["KI", f"T{index}"],
            visibility="public",
        )  # fmt: skip
        knowledge.article_submit(actor=coordinator, article=article)
        knowledge.article_publish(actor=admin, article=article)
        start = timezone.now() + datetime.timedelta(days=1 + index % 60)
        event = events.event_create(
            actor=coordinator, kind="workshop", title=f"Workshop {index}", description="x", starts_at=start,
            ends_at=start + datetime.timedelta(hours=1), place="Campus", online_url="", capacity=3,
        )  # fmt: skip
        events.event_publish(actor=coordinator, event=event)
        profile, member, _solution = startup(f"Startup {index} GmbH")
        events.registration_create(actor=member, event=event)
        advisory.enrolment_admit(
            actor=coordinator, startup=profile, advisor=coordinator,
            admitted_on=timezone.localdate() - datetime.timedelta(days=index),
        )  # fmt: skip
        notifications.notifications_send(recipients=[coordinator], topic="event", title=f"N {index}", key=f"n{index}")

    pages = ["/wissen/", "/veranstaltungen/", "/begleitprogramm/", "/benachrichtigungen/", "/api/v1/articles"]
    add(0)
    one = {}
    for page in pages:
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        one[page] = len(queries)
    for index in range(1, args.n):
        add(index)
    print(f"Campus pages with 1 and with {args.n} rows (SQLite, median of {args.runs}):")
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        many = len(queries)
        ms = median_ms(lambda page=page: client.get(page), args.runs)
        print(f"  {page:<24} queries {one[page]:>2} / {many:>2}   {ms:7.1f} ms")
    people = [make_person(Role.STARTUP_MEMBER) for _ in range(500)]
    counter = iter(range(10**6))
    fan_out = median_ms(
        lambda: notifications.notifications_send(
            recipients=people, topic="event", title="Alle", key=f"f{next(counter)}"
        ),
        args.runs,
    )
    print(f"One notification to 500 people (rows + queued e-mails): {fan_out:.1f} ms")
    print(f"Markdown to safe HTML, {len(body)} characters: {median_ms(lambda: render_markdown(body), 50):.2f} ms")


if __name__ == "__main__":
    main()
