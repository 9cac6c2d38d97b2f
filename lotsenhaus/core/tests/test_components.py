"""KERN components: the markup each tag writes, so that pages using them keep KERN's structure and CSRF."""

import pytest
from django import forms
from django.middleware.csrf import get_token
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.test.html import parse_html


def _render(source: str, **context: object) -> str:
    return Template("{% load kern %}" + source).render(Context(context))


def test_a_button_carries_kerns_classes_and_label():
    html = _render('{% kern_button "Speichern" "secondary" "x-small" %}')
    assert parse_html(html) == parse_html(
        '<button type="submit" class="kern-btn kern-btn--secondary kern-btn--x-small">'
        '<span class="kern-label">Speichern</span></button>'
    )
    named = _render('{% kern_button "Annehmen" name="decision" value="adopt" %}')
    assert 'name="decision"' in named and 'value="adopt"' in named and "kern-btn--primary" in named


def test_a_label_may_continue_for_screen_readers_and_a_link_may_download():
    html = _render('{% kern_button "Entfernen" "tertiary" "small" hidden=": Meine Sicht" %}')
    assert parse_html(html) == parse_html(
        '<button type="submit" class="kern-btn kern-btn--tertiary kern-btn--small">'
        '<span class="kern-label">Entfernen<span class="sr-only">: Meine Sicht</span></span></button>'
    )
    link = _render('{% kern_link_button "/daten.json" "Herunterladen" download=True %}')
    assert parse_html(link) == parse_html(
        '<a class="kern-btn kern-btn--secondary" href="/daten.json" download>'
        '<span class="kern-label">Herunterladen</span></a>'
    )
    assert "download" not in _render('{% kern_link_button "/seite/" "Öffnen" %}')


def test_an_unknown_variant_is_refused_when_the_page_is_rendered():
    with pytest.raises(TemplateSyntaxError):
        _render('{% kern_button "X" "danger" %}')


def test_labels_are_escaped():
    assert "<script>" not in _render("{% kern_button label %}", label="<script>alert(1)</script>")


def test_a_post_button_posts_with_the_csrf_token():
    request = RequestFactory().get("/")
    token = get_token(request)
    html = _render('{% post_button "/piloten/1/start/" "Starten" %}', csrf_token=token)
    assert parse_html(html) == parse_html(
        '<form method="post" action="/piloten/1/start/" class="inline-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '<button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small">'
        '<span class="kern-label">Starten</span></button></form>'
    )
    full = _render('{% post_button "/x/" "Los" variant="primary" size="" %}', csrf_token=token)
    assert "inline-form" not in full and "kern-btn kern-btn--primary" in full


def test_a_post_button_may_ask_first_or_show_progress():
    asking = parse_html(_render('{% post_button "/x/" "Schließen" confirm="Wirklich?" inline=False %}', csrf_token="t"))
    assert dict(asking.attributes)["data-confirm"] == "Wirklich?" and "class" not in dict(asking.attributes)
    busy = _render('{% post_button "/x/" "Bericht" busy="Wird geschrieben" %}', csrf_token="t")
    assert 'data-busy="Wird geschrieben"' in busy and 'role="status"' in busy


class _Form(forms.Form):
    title = forms.CharField(label="Titel")


def test_a_form_section_names_its_form_and_renders_fields_heading_hint_and_button():
    html = _render(
        '{% form_section form "risk" "Hinzufügen" heading="Risiko" hint="Kurz" multipart=True %}',
        form=_Form(),
        csrf_token="t" * 64,
    )
    tree = parse_html(html)
    assert tree.name == "form" and dict(tree.attributes)["enctype"] == "multipart/form-data"
    assert 'name="form" value="risk"' in html and 'name="csrfmiddlewaretoken"' in html
    assert 'class="kern-stack actions-panel"' in html and "novalidate" in html
    assert ">Risiko</h3>" in html and ">Kurz</p>" in html and 'name="title"' in html
    assert "kern-btn kern-btn--secondary" in html and ">Hinzufügen</span>" in html
    plain = _render('{% form_section form "canvas" "Speichern" panel=False %}', form=_Form(), csrf_token="t" * 64)
    assert "actions-panel" not in plain and "<h3" not in plain and "enctype" not in plain
    assert 'class="kern-btn kern-btn--secondary"' in plain
    small = _render('{% form_section form "" "Art. 4 speichern" size="x-small" %}', form=_Form(), csrf_token="t" * 64)
    assert 'class="kern-btn kern-btn--secondary kern-btn--x-small"' in small and 'name="form"' not in small
    back = _render('{% form_section form "" "Speichern" cancel="/zurueck/" %}', form=_Form(), csrf_token="t" * 64)
    assert 'class="kern-btn-wrapper"' in back and 'class="kern-btn kern-btn--tertiary" href="/zurueck/"' in back
    assert 'href="/zurueck/"' not in plain  # no way back unless the page gives one
    outline = _render('{% form_section form "add" "Neu" heading="Bedarf" level=2 %}', form=_Form(), csrf_token="t")
    assert ">Bedarf</h2>" in outline and "<h3" not in outline
    with pytest.raises(TemplateSyntaxError):
        _render('{% form_section form "add" "Neu" heading="Bedarf" level=7 %}', form=_Form(), csrf_token="t")


def test_a_link_button_may_carry_a_kern_icon():
    html = _render('{% kern_link_button "/neu/" "Neu" variant="primary" icon="add" %}')
    assert parse_html(html) == parse_html(
        '<a class="kern-btn kern-btn--primary" href="/neu/"><span class="kern-icon kern-icon--add" aria-hidden="true">'
        '</span><span class="kern-label">Neu</span></a>'
    )
    with pytest.raises(TemplateSyntaxError):
        _render('{% kern_link_button "/x/" "X" icon=bad %}', bad='add" onclick="alert(1)')


def test_a_table_has_kerns_frame_caption_head_and_cells():
    html = _render(
        '{% kern_table "Startups" %}{% table_head %}{% th "Name" %}{% th "Punkte" "numeric" %}{% endtable_head %}'
        "{% table_body %}{% for name, points in rows %}{% tr %}{% td row_header=True %}{{ name }}{% endtd %}"
        '{% td "numeric" %}{{ points }}{% endtd %}{% endtr %}{% endfor %}{% endtable_body %}{% endkern_table %}',
        rows=[("Aktenblick <GmbH>", 3)],
    )
    assert parse_html(html) == parse_html(
        '<div class="kern-table-responsive"><table class="kern-table"><caption class="sr-only">Startups</caption>'
        '<thead class="kern-table__head"><tr class="kern-table__row">'
        '<th scope="col" class="kern-table__header">Name</th>'
        '<th scope="col" class="kern-table__header kern-table__header--numeric">Punkte</th></tr></thead>'
        '<tbody class="kern-table__body"><tr class="kern-table__row">'
        '<th scope="row" class="kern-table__cell">Aktenblick &lt;GmbH&gt;</th>'
        '<td class="kern-table__cell kern-table__cell--numeric">3</td></tr></tbody></table></div>'
    )
    shown = _render('{% kern_table "Kosten" caption_visible=True size="small" striped=True %}{% endkern_table %}')
    assert 'class="kern-table kern-table--small kern-table--striped"' in shown and 'class="kern-title"' in shown


def test_a_header_may_be_for_screen_readers_only_and_a_cell_may_span_the_row():
    html = _render('{% th "Aktionen" "action" hidden=True %}{% td colspan=4 %}Niemand{% endtd %}')
    assert parse_html(html) == parse_html(
        '<th scope="col" class="kern-table__header kern-table__header--action">'
        '<span class="sr-only">Aktionen</span></th>'
        '<td class="kern-table__cell" colspan="4">Niemand</td>'
    )


def test_an_unknown_table_size_or_cell_variant_is_refused():
    with pytest.raises(TemplateSyntaxError):  # a misspelt argument, when the template is loaded
        Template('{% load kern %}{% kern_table "X" captoin_visible=True %}{% endkern_table %}')
    with pytest.raises(TemplateSyntaxError):  # a missing one
        Template("{% load kern %}{% term %}x{% endterm %}")
    with pytest.raises(TemplateSyntaxError):
        _render('{% kern_table "X" size="huge" %}{% endkern_table %}')
    with pytest.raises(TemplateSyntaxError):
        _render('{% td "wide" %}x{% endtd %}')


def test_a_description_list_pairs_each_label_with_its_value():
    html = _render(
        '{% description_list %}{% term "Ort" %}{{ place }}{% endterm %}{% enddescription_list %}', place="Raum <Elbe>"
    )
    assert parse_html(html) == parse_html(
        '<dl class="kern-description-list"><div class="kern-description-list-item">'
        '<dt class="kern-description-list-item__key">Ort</dt>'
        '<dd class="kern-description-list-item__value">Raum &lt;Elbe&gt;</dd></div></dl>'
    )
