"""The AI Act assessment: every Art. 5 practice, every Annex III area, the exceptions, profiling, transparency
and the application dates."""

import datetime

import pytest

from lotsenhaus.airegister.assessment import HIGH_RISK, MINIMAL, PROHIBITED, assess, load_rules

RULES = load_rules()
TODAY = datetime.date(2026, 11, 28)
PRACTICES = [item["key"] for item in RULES["prohibited"]]
AREAS = [item["key"] for item in RULES["annex_iii"]]
EXCEPTIONS = [item["key"] for item in RULES["exceptions"]]
TRANSPARENCY = [item["key"] for item in RULES["transparency"]]


@pytest.mark.parametrize("practice", PRACTICES)
def test_every_article_5_practice_is_prohibited(practice):
    result = assess({practice: True, "employment": True}, TODAY)
    assert result.risk_class == PROHIBITED
    assert result.reasons[0][0].startswith("Art. 5")
    assert [d.key for d in result.duties if d.key == "do_not_deploy"] == ["do_not_deploy"]


def test_there_are_nine_practices_and_eight_areas():
    assert len(PRACTICES) == 9 and len(AREAS) == 8 and len(EXCEPTIONS) == 4


@pytest.mark.parametrize("area", AREAS)
def test_every_annex_iii_area_is_high_risk(area):
    result = assess({area: True}, TODAY)
    assert result.risk_class == HIGH_RISK
    assert {"human_oversight", "logs", "fria", "eu_registration", "inform_affected"} <= {d.key for d in result.duties}


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("exception", EXCEPTIONS)
def test_an_exception_lifts_high_risk_unless_the_system_profiles(area, exception):
    assert assess({area: True, exception: True}, TODAY).risk_class == MINIMAL
    profiled = assess({area: True, exception: True, "profiling": True}, TODAY)
    assert profiled.risk_class == HIGH_RISK
    assert any("Art. 6 Abs. 3 Unterabs. 3" in article for article, _text in profiled.reasons)


def test_annex_i_safety_components_are_high_risk_without_exceptions():
    result = assess({"safety_component": True, "narrow_procedural": True}, TODAY)
    assert result.risk_class == HIGH_RISK


@pytest.mark.parametrize("trigger", TRANSPARENCY)
@pytest.mark.parametrize("base", [{}, {"education": True}, {"social_scoring": True}])
def test_transparency_triggers_fire_whatever_the_risk_class(trigger, base):
    result = assess({**base, trigger: True}, TODAY)
    assert result.transparency == [trigger]
    assert trigger in {d.key for d in result.duties}
    assert trigger not in assess(base, TODAY).transparency


def test_minimal_risk_still_needs_ai_literacy():
    result = assess({}, TODAY)
    assert result.risk_class == MINIMAL
    assert [d.key for d in result.duties] == ["ai_literacy"]
    assert result.duties[0].applies_now


def _applies(result, key):
    return next(d for d in result.duties if d.key == key).applies_now


@pytest.mark.parametrize(
    ("answers", "duty", "first_day"),
    [
        ({"employment": True}, "human_oversight", datetime.date(2027, 12, 2)),
        ({"safety_component": True}, "logs", datetime.date(2028, 8, 2)),
        ({"interaction": True}, "interaction", datetime.date(2026, 8, 2)),
        ({"intimate_images": True}, "do_not_deploy", datetime.date(2026, 12, 2)),
        ({"social_scoring": True}, "do_not_deploy", datetime.date(2025, 2, 2)),
        ({}, "ai_literacy", datetime.date(2025, 2, 2)),
    ],
)
def test_duties_apply_from_their_date(answers, duty, first_day):
    assert not _applies(assess(answers, first_day - datetime.timedelta(days=1)), duty)
    assert _applies(assess(answers, first_day), duty)
    result = assess(answers, first_day)
    assert next(d for d in result.duties if d.key == duty).applies_from == first_day


def test_law_enforcement_and_migration_register_in_the_non_public_section():
    for area in ("law_enforcement", "migration"):
        result = assess({area: True}, TODAY)
        assert result.non_public_registration
        assert "nicht öffentlichen Teil" in next(d for d in result.duties if d.key == "eu_registration").text
    assert not assess({"education": True}, TODAY).non_public_registration


def test_the_result_names_its_rule_version_and_refuses_unknown_questions():
    assert assess({}, TODAY).rules_version == "ai-act-2024-1689-amended-2026"
    with pytest.raises(ValueError, match="Unknown questions"):
        assess({"teleportation": True}, TODAY)
    with pytest.raises(ValueError, match="Unknown rule set"):
        load_rules("../../settings/base")
