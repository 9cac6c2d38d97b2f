"""States are compared through their TextChoices, never as string literals (issue 19): in Python through the
enumeration, in templates through ``<field>_is.<value>`` (core.models.ChoiceFlags), whose values must exist."""

import re
from pathlib import Path

import pytest
from django.apps import apps

from lotsenhaus.core.models import ChoiceFlags

ROOT = Path(__file__).resolve().parents[1] / "lotsenhaus"
STATE_FIELDS = r"(status|publication|kind|outcome|verification|decision|state|scope|role)"
PYTHON_LITERAL = re.compile(rf"\.{STATE_FIELDS}\s*(==|!=|in)\s*[\(\[\{{]?[\"']")
# A state given as a literal to a query or a service (``.filter(status="published")``, ``Q(status="excluded")``).
PYTHON_KEYWORD_LITERAL = re.compile(r"\b(status|verification|decision|publication)(__in)?\s*=\s*[\(\[\{]?[\"'][a-z]")
TEMPLATE_LITERAL = re.compile(rf"\.{STATE_FIELDS}\s*(==|!=|in)\s*[\"']")
# Report blocks are a document's structure (paragraph, bullets, facts), not a model's state.
TEMPLATE_EXCEPTIONS = {"core/templates/core/documents/report.html"}


def _sources(pattern: str):
    for path in ROOT.rglob(pattern):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        yield path


def test_python_compares_states_through_their_enumerations():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PYTHON_LITERAL.search(line) or PYTHON_KEYWORD_LITERAL.search(line)
    ]
    assert not found, "\n".join(found)


def test_templates_compare_states_through_choice_flags_that_exist():
    flags: dict[str, set[str]] = {}
    for model in apps.get_models():
        for name, attribute in vars(model).items():
            if isinstance(attribute, ChoiceFlags):
                choices = model._meta.get_field(attribute.field).choices
                flags.setdefault(name, set()).update(str(key) for key, _label in choices)
    assert {"status_is", "state_is", "kind_is", "verification_is"} <= set(flags)
    literals, unknown = [], []
    for path in _sources("*.html"):
        relative = str(path.relative_to(ROOT))
        text = path.read_text()
        if relative not in TEMPLATE_EXCEPTIONS:
            literals += [f"{relative}: {m.group(0)}" for m in TEMPLATE_LITERAL.finditer(text)]
        for match in re.finditer(r"\b(\w+_is)\.(\w+)", text):
            if match.group(1) in flags and match.group(2) not in flags[match.group(1)]:
                unknown.append(f"{relative}: {match.group(0)}")
    assert not literals, "\n".join(literals)
    assert not unknown, "\n".join(unknown)


@pytest.mark.django_db
def test_a_choice_flag_answers_for_its_values_and_refuses_a_typo():
    from lotsenhaus.events.models import Event, EventStatus

    event = Event(status=EventStatus.PUBLISHED)
    assert event.status_is.published and not event.status_is.draft
    with pytest.raises(AttributeError):
        event.status_is.publishd  # noqa: B018


def test_audit_actions_are_declared_constants_and_nothing_else_is_written():
    """Issue 19: about 125 audit actions were free strings, some built with f-strings."""
    from lotsenhaus.core.audit import audit, declared_actions

    free = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources("*.py")
        if path.name != "audit_actions.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        # An audit code is <object>.<verb>; step names ("publish") passed to a transition are not audit codes.
        if re.search(r"\baction=(f[\"']|[\"'][a-z_]+\.)", line)
    ]
    assert not free, "\n".join(free)
    declared = declared_actions()
    assert len(declared) > 120 and all(re.fullmatch(r"[a-z_]+\.[a-z_]+", code) for code in declared)
    with pytest.raises(ValueError):
        audit(actor=None, action="usecase.publishd", object_type="x", object_id="1")
