"""Project-wide guarantees: migrations, deploy settings, translations, lint, the demo command."""

import ast
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from lotsenhaus.accounts.models import User
from lotsenhaus.core.models import AuditEntry
from lotsenhaus.matching.models import SearchDocument
from lotsenhaus.matching.selectors import pending_embeddings
from lotsenhaus.needs.models import Need
from lotsenhaus.organisations.models import Membership, Organisation
from lotsenhaus.startups.models import Solution, StartupProfile
from scripts.po_status import problems

ROOT = Path(__file__).resolve().parent.parent
LOTSENHAUS = [sys.executable, "-m", "lotsenhaus"]


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "SECRET_KEY"))}
    return subprocess.run(args, cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "lotsenhaus.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "lotsenhaus.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "LOTSENHAUS_VAR_DIR": str(tmp_path),
    }
    result = _run([*LOTSENHAUS, "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "lotsenhaus.settings.production",
        "ALLOWED_HOSTS": "lotsenhaus.example",
        "LOTSENHAUS_VAR_DIR": str(tmp_path),
    }
    result = _run([*LOTSENHAUS, "check"], env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_embedded_install_keeps_its_generated_secret_key(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "lotsenhaus.settings.base", "LOTSENHAUS_VAR_DIR": str(tmp_path)}
    code = "from django.conf import settings; import django; django.setup(); print(settings.SECRET_KEY)"
    first = _run([sys.executable, "-c", code], env, tmp_path).stdout
    second = _run([sys.executable, "-c", code], env, tmp_path).stdout
    assert len(first.strip()) > 50
    assert first == second
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_german_catalogue_is_complete():
    assert problems() == []


@pytest.mark.django_db
def test_demo_is_idempotent():
    def counts() -> tuple[int, ...]:
        return (User.objects.count(), Organisation.objects.count(), Membership.objects.count())

    call_command("demo", no_serve=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    # Matching is complete at once: every demo text's embedding ships with the demo (issue 21). When this fails,
    # a demo text changed: run `lotsenhaus demo --no-serve --write-embeddings` on a fresh database and commit
    # lotsenhaus/demo/data/embeddings.npz.
    assert SearchDocument.objects.count() > 150 and not pending_embeddings().exists()
    first = counts()
    audit_rows = AuditEntry.objects.count()
    assert first[1] >= 80 and first[0] == 6
    assert Organisation.objects.filter(kind="startup").count() == 60
    assert StartupProfile.objects.count() == 60 and Solution.objects.count() == 120
    assert "Public Sector Tech Watch, CC BY 4.0" in Solution.objects.first().source_note
    assert Organisation.objects.get(name="Amt für Bauordnung und Hochbau").parent.short_name == "BSW"
    assert Need.objects.count() == 15
    assert Solution.objects.count() == 120
    assert Need.objects.values("status").distinct().count() == 8
    call_command("demo", no_serve=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert counts() == first
    assert Need.objects.count() == 15
    assert Solution.objects.count() == 120
    assert AuditEntry.objects.count() == audit_rows


def test_migrations_import_no_app_code():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "lotsenhaus").glob("*/migrations/*.py")
        if "lotsenhaus" in path.read_text()
    ]
    assert offenders == []


@pytest.mark.django_db
def test_one_version_number_shown_by_the_command_healthz_and_the_admin_footer(client):
    from lotsenhaus import __version__
    from lotsenhaus.core.roles import Role
    from tests.factories import make_person

    printed = _run([*LOTSENHAUS, "--version"], {}, ROOT)
    assert printed.stdout.strip() == f"lotsenhaus {__version__}"
    assert client.get("/healthz").json()["version"] == __version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert f"## [{__version__}]" in (ROOT / "CHANGELOG.md").read_text()
    client.force_login(make_person(Role.COORDINATOR))
    page = client.get("/impressum/")
    assert page.status_code == 200 and __version__ not in page.content.decode()
    client.force_login(make_person(Role.PLATFORM_ADMIN))
    assert __version__ in client.get("/impressum/").content.decode()


def test_a_variable_missing_from_the_context_of_our_template_fails_the_suite():
    """Strict template variables in the suite (settings/test.py): printing a missing variable in one of our
    templates raises; a third-party template and a template from a string keep Django's empty string."""
    from django.template import Context, Template
    from django.template.loader import get_template

    from lotsenhaus.settings.test import UndefinedTemplateVariableError

    form = get_template("kern/includes/filter_form.html")
    with pytest.raises(UndefinedTemplateVariableError, match="action_url"):
        form.render({"form": "", "target": "#x"})
    assert 'action="/x"' in form.render({"form": "", "target": "#x", "action_url": "/x"})
    assert Template("[{{ missing }}]").render(Context({})) == "[]"


def _eager_translations_at_import(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    eager = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in {"gettext", "ngettext", "pgettext", "npgettext"}
    }
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue  # runs per request, in the reader's language
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in eager:
                found.append(f"{path.relative_to(ROOT)}:{child.lineno}")
            visit(child)

    if eager:
        visit(tree)
    return found


def test_no_text_is_translated_once_at_import():
    """A label translated with gettext at module or class level keeps the language of the process that imported
    it: the English need page offered "Zurückziehen" (December 2026). Such labels must be gettext_lazy."""
    code = ROOT / "lotsenhaus"
    found = [
        hit
        for path in sorted(code.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
        for hit in _eager_translations_at_import(path)
    ]
    assert found == []


# Hand-written KERN buttons, POST forms and tables and lines longer than 200 characters in our templates; the
# components of core/templatetags/kern.py replace them page by page (the pilot, exploration and evaluation pages
# first). The numbers may only go down: a new page uses the components and writes one element per line.
# Description lists are all written through {% description_list %} and {% term %}. Stored documents
# (core/templates/core/documents/) are outside: their markup serves the tagged PDF, not the page.
HAND_WRITTEN_BUTTONS = 3
HAND_WRITTEN_POST_FORMS = 23
HAND_WRITTEN_TABLES = 1
LINES_OVER_200 = 122


def test_new_templates_use_the_kern_components():
    root = Path(__file__).resolve().parents[1] / "lotsenhaus"
    components = root / "templates" / "kern" / "components"
    buttons = forms = tables = long_lines = 0
    for path in root.rglob("*.html"):
        if components in path.parents or "documents" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        buttons += len(re.findall(r'class="kern-btn ', text))
        forms += len(re.findall(r'<form [^>]*method="post"', text))
        tables += len(re.findall(r"<table\b", text))
        long_lines += sum(1 for line in text.splitlines() if len(line) > 200)
        assert "kern-description-list" not in text, f"{path.name}: use {{% description_list %}} and {{% term %}}"
    assert buttons <= HAND_WRITTEN_BUTTONS, f"{buttons} hand-written KERN buttons: use {{% kern_button %}}"
    assert forms <= HAND_WRITTEN_POST_FORMS, (
        f"{forms} hand-written POST forms: use {{% post_button %}} or {{% form_section %}}"
    )
    assert tables <= HAND_WRITTEN_TABLES, f"{tables} hand-written tables: use {{% kern_table %}}"
    assert long_lines <= LINES_OVER_200, f"{long_lines} template lines over 200 characters: one element per line"
    # Lower the numbers above when a page moves to the components, so they cannot come back.
    assert (buttons, forms, tables, long_lines) == (
        HAND_WRITTEN_BUTTONS,
        HAND_WRITTEN_POST_FORMS,
        HAND_WRITTEN_TABLES,
        LINES_OVER_200,
    )
