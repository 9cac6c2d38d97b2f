"""The Markterkundungsbericht: what was done, in text form, from the beginning (§ 6 UVgO / § 8 VgV)."""

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotsenhaus.core.documents import Bullets, Facts, Paragraph, Report, Section, Table

from .models import CandidateStatus, Exploration, Source
from .selectors import candidates_with_contacts, questions

KIND = "exploration_report"


def _date(value: Any) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "–"


def _money(value: Any) -> str:
    return f"{formats.number_format(value, 0, force_grouping=True)} €" if value is not None else "–"


def _budget(low: Any, high: Any) -> str:
    """ "30.000 € – 50.000 €", "bis 50.000 €", "ab 30.000 €", or "not stated" (not three dashes)."""
    if low is not None and high is not None:
        return f"{_money(low)} – {_money(high)}"
    if high is not None:
        return _("up to %(amount)s") % {"amount": _money(high)}
    if low is not None:
        return _("from %(amount)s") % {"amount": _money(low)}
    return _("not stated")


FILTER_WORDS = {
    "min_maturity": gettext_lazy("maturity at least %(value)s"),
    "hosting_any": gettext_lazy("hosting options %(value)s"),
    "deployment_any": gettext_lazy("deployment options %(value)s"),
    "certifications_all": gettext_lazy("certifications %(value)s"),
    "max_budget": gettext_lazy("budget up to %(value)s €"),
}


def _search_words(run: Any, need: Any) -> list[str]:
    """What a platform search looked for and how far, in words (issue 18: the report showed the whole need
    text as the query and "limit: 5")."""
    searched = (
        _("the need's own words (title, problem, desired outcome)")
        if run.query.startswith(need.title)
        else run.query[:200]
    )
    filters = dict(run.filters)
    scope = [_("the %(count)s best matching solutions") % {"count": filters.pop("limit", 10)}]
    if (chosen := filters.pop("chosen", None)) is not None:
        scope.append(_("%(count)s of them chosen after the preview") % {"count": chosen})
    scope += [str(FILTER_WORDS[k]) % {"value": v} for k, v in filters.items() if k in FILTER_WORDS]
    return [searched, "; ".join(scope)]


def build(*, exploration: Exploration, author: Any, version: int) -> Report:
    need = exploration.need
    listed = list(candidates_with_contacts(exploration=exploration))
    asked = list(questions(exploration=exploration))
    today = timezone.localdate()
    by_source = {value: sum(1 for c in listed if c.source == value) for value in Source.values}

    need_section = Section(
        _("1. Subject of the market exploration"),
        [
            Facts(
                [
                    (_("Need"), need.title),
                    (_("Authority"), need.organisation.name),
                    (_("What is the problem?"), need.problem or "–"),
                    (_("What should be better afterwards?"), need.desired_outcome or "–"),
                    (_("Budget"), _budget(need.budget_min, need.budget_max)),
                    (_("Protection class of the data"), need.get_protection_class_display() or "–"),
                ]
            )
        ],
    )
    period = Section(
        _("2. Period and responsibility"),
        [
            Facts(
                [
                    (_("Published on the platform"), _date(need.published_at)),
                    (_("Answer deadline"), _date(need.answer_deadline)),
                    (_("Start of the market exploration"), _date(exploration.started_at)),
                    (
                        _("End of the market exploration"),
                        _date(exploration.ended_at) if exploration.ended_at else _("still running"),
                    ),
                    (_("Report written by"), f"{author}"),
                ]
            )
        ],
    )
    searches = list(exploration.searches.select_related("actor"))
    method_blocks: list[Any] = [
        Paragraph(exploration.method or _("No further description of the method was recorded.")),
        Paragraph(
            _(
                "Sources of the long list: %(matching)s suggested by the platform's search, %(answer)s answers "
                "to the published need, %(manual)s added by hand."
            )
            % by_source
        ),
    ]
    if searches:
        method_blocks.append(
            Table(
                [_("Date"), _("Searched for"), _("Scope"), _("Hits"), _("Added")],
                [
                    [_date(run.at), *_search_words(run, exploration.need), str(run.found), str(run.added)]
                    for run in searches
                ],
                caption=_("Searches of the platform"),
            )
        )
    method = Section(_("3. Search method"), method_blocks)

    long_list = Section(
        _("4. Long list"),
        [
            Table(
                [_("Startup"), _("Solution"), _("Source"), _("Status"), _("Reason for the exclusion")],
                [
                    [
                        c.startup.organisation.name,
                        c.solution.name if c.solution else "–",
                        c.get_source_display(),
                        c.get_status_display(),
                        c.exclusion_reason or "–",
                    ]
                    for c in listed
                ],
            )
            if listed
            else Paragraph(_("The long list is empty."))
        ],
    )
    excluded = [c for c in listed if c.status == CandidateStatus.EXCLUDED]
    exclusions = Section(
        _("5. Exclusions and their reasons"),
        [
            Bullets([f"{c.startup.organisation.name}: {c.exclusion_reason}" for c in excluded])
            if excluded
            else Paragraph(_("No startup was excluded."))
        ],
    )
    contacts = [(c, contact) for c in listed for contact in c.contacts.all()]
    contact_section = Section(
        _("6. Contacts held"),
        [
            Table(
                [_("Date"), _("Startup"), _("Channel"), _("Who took part"), _("Summary")],
                [
                    [
                        _date(contact.happened_on),
                        c.startup.organisation.name,
                        contact.get_channel_display(),
                        contact.participants,
                        contact.summary,
                    ]
                    for c, contact in sorted(contacts, key=lambda pair: (pair[1].happened_on, pair[1].pk))
                ],
            )
            if contacts
            else Paragraph(_("No contacts were recorded."))
        ],
    )
    qa_blocks: list[Any] = []
    for q in asked:
        asker = q.candidate.startup.organisation.name if q.candidate else "–"
        shared = _("shared with all candidates on %(date)s") % {"date": _date(q.shared_at)} if q.shared_at else None
        qa_blocks.append(
            Facts(
                [
                    (_("Question from %(startup)s") % {"startup": asker}, q.text),
                    (_("Answer"), q.answer or _("not yet answered")),
                    (_("Equal treatment"), shared or _("not shared with the other candidates")),
                ]
            )
        )
    qa = Section(
        _("7. Questions, answers and equal treatment"), qa_blocks or [Paragraph(_("No questions were asked."))]
    )
    short = [c for c in listed if c.status == CandidateStatus.SHORTLIST]
    shortlist = Section(
        _("8. Short list"),
        [
            Bullets([f"{c.startup.organisation.name}" + (f" – {c.solution.name}" if c.solution else "") for c in short])
            if short
            else Paragraph(_("No startup is on the short list yet."))
        ],
    )
    recommendation = Section(
        _("9. Recommendation"),
        [
            Paragraph(exploration.recommendation or _("No recommendation has been recorded yet.")),
            Paragraph(_("Reasons: %(reasons)s") % {"reasons": exploration.recommendation_reasons or "–"}),
        ],
    )
    legal = Section(
        _("10. Legal note"),
        [
            Paragraph(
                _(
                    "This report documents the market exploration in text form from its beginning and as it went on "
                    "(§ 6 UVgO, § 8 VgV). The market exploration prepares a possible award procedure "
                    "(§ 20 UVgO, § 28 VgV); it is not itself an award procedure."
                )
            )
        ],
    )
    footer = _("Market exploration report · %(title)s · %(date)s · %(author)s · version %(version)s") % {
        "title": need.title,
        "date": _date(today),
        "author": author,
        "version": version,
    }
    return Report(
        title=_("Market exploration report (Markterkundungsbericht)"),
        subtitle=need.title,
        sections=[
            need_section,
            period,
            method,
            long_list,
            exclusions,
            contact_section,
            qa,
            shortlist,
            recommendation,
            legal,
        ],
        footer=footer,
    )
