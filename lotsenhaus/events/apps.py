from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "lotsenhaus.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from lotsenhaus.core import navigation, privacy, reminders
        from lotsenhaus.core.navigation import DashboardCard, NavItem

        from . import reminders as event_reminders
        from . import selectors, services

        privacy.declare("events.event", keep=("organiser",))
        privacy.declare("events.registration", delete=("user",))
        privacy.on_erase(services.registrations_release)
        from lotsenhaus.notifications.services import register_attachment

        # Confirmations and places from the waiting list carry the event's calendar entry (issue 17).
        register_attachment("event-registered:", selectors.ics_for_key)
        register_attachment("event-promoted:", selectors.ics_for_key)

        reminders.register("events", event_reminders.queue)
        navigation.register(NavItem(label=_("Events"), url_name="events:list", order=42))
        navigation.register_cards(
            DashboardCard(
                _("Events"),
                _("Workshops, reverse pitches, pitch days and office hours: register or join the waiting list."),
                "events.see_events_card",
                "events:list",
                _("Open the events"),
                order=80,
            ),
        )
