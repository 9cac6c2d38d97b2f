"""iCalendar (RFC 5545) for one event and for the subscribable feed, built with the icalendar library."""

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as IcsEvent

from .models import Event, EventStatus


def _one_line(text: str) -> str:
    """Single-line properties (title, place, calendar name) never carry a line break, whatever was typed."""
    return " ".join(text.split())


def _component(event: Event) -> IcsEvent:
    item = IcsEvent()
    item.add("uid", f"event-{event.pk}@lotsenhaus")
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
    calendar.add("x-wr-calname", _one_line(name))
    calendar.add("method", "PUBLISH")
    for event in events:
        calendar.add_component(_component(event))
    return calendar.to_ical()
