"""iCalendar (RFC 5545) for one event and for the subscribable feed, built with the icalendar library."""

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, vText
from icalendar import Event as IcsEvent

from lotsenhaus.core.links import site_domain

from .models import Event, EventStatus


def _one_line(text: str) -> str:
    """Single-line properties (title, place, calendar name) never carry a line break, whatever was typed."""
    return " ".join(text.split())


def _component(event: Event) -> IcsEvent:
    item = IcsEvent()
    # Globally unique (RFC 5545, 3.8.4.7): the site's own domain, so two installations never collide.
    item.add("uid", f"event-{event.pk}@{site_domain()}")
    item.add("dtstamp", event.updated_at.astimezone(UTC))
    item.add("dtstart", event.starts_at.astimezone(UTC))
    item.add("dtend", event.ends_at.astimezone(UTC))
    item.add("summary", _one_line(event.title))
    item.add("description", event.description)
    item.add("sequence", event.version)
    url = settings.LOTSENHAUS_BASE_URL + reverse("events:detail", args=[event.pk])
    item.add("url", url)
    if event.place or event.online_url:
        item.add("location", _one_line(event.place or event.online_url))
    item.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return item


def to_ics(events: Iterable[Event], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Lotsenhaus//Veranstaltungen//DE")
    calendar.add("version", "2.0")
    # X- properties are written as given; the name is escaped as TEXT (commas, semicolons, backslashes).
    calendar.add("x-wr-calname", vText(_one_line(name)).to_ical().decode())
    calendar.add("method", "PUBLISH")
    for event in events:
        calendar.add_component(_component(event))
    return calendar.to_ical()
