from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lotsenhaus.evaluations import selectors, services
from lotsenhaus.evaluations.models import Score
from tests.pipeline import build_world, explore
from tests.refusals import refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def setup():
    world = build_world()
    _exploration, candidates = explore(world)
    evaluation = services.evaluation_start(actor=world.coordinator, need=world.need)
    return world, evaluation, candidates


def test_criteria_rules_are_checked_before_scoring_opens(setup):
    world, evaluation, _candidates = setup
    c = world.coordinator
    with refused("precondition"):
        services.evaluation_open(actor=c, evaluation=evaluation)
    with refused("invalid_value", field="levels"):
        services.criterion_add(
            actor=c, evaluation=evaluation, kind="weighted", name="Qualität", weight=Decimal(60), levels=["a", "b"]
        )
    services.criterion_add(
        actor=c, evaluation=evaluation, kind="weighted", name="Qualität", weight=Decimal(60), levels=list("012345")
    )
    services.criterion_add(
        actor=c, evaluation=evaluation, kind="weighted", name="Preis", weight=Decimal(30), levels=list("012345")
    )
    with refused("invalid_value"):
        services.evaluation_open(actor=c, evaluation=evaluation)
    services.criterion_add(
        actor=c, evaluation=evaluation, kind="weighted", name="Team", weight=Decimal(10), levels=list("012345")
    )
    with refused("precondition"):
        services.evaluation_open(actor=c, evaluation=evaluation)
    services.evaluator_invite(actor=c, evaluation=evaluation, user=world.expert)
    with refused("not_allowed", field="user"):
        services.evaluator_invite(actor=c, evaluation=evaluation, user=world.other_owner)
    evaluation = services.evaluation_open(actor=c, evaluation=evaluation)
    with refused("wrong_state", field="scale_max"):
        services.evaluation_update(actor=c, evaluation=evaluation, version=evaluation.version, scale_max=10)
    with pytest.raises(PermissionDenied):  # criteria are frozen once scoring is open
        services.criterion_add(actor=c, evaluation=evaluation, kind="exclusion", name="Neu")


def test_evaluators_score_independently_and_a_conflict_removes_their_scores(setup):
    world, evaluation, candidates = setup
    c = world.coordinator
    criterion = services.criterion_add(
        actor=c, evaluation=evaluation, kind="weighted", name="Qualität", weight=Decimal(100), levels=list("012345")
    )
    for person in (world.owner, world.expert):
        services.evaluator_invite(actor=c, evaluation=evaluation, user=person)
    evaluation = services.evaluation_open(actor=c, evaluation=evaluation)
    first, second = candidates[:2]
    with refused("precondition"):
        services.scores_save(
            actor=world.owner, evaluation=evaluation, candidate=first, values={criterion.pk: {"points": 5}}
        )
    for candidate, points in ((first, 5), (second, 1)):
        services.conflict_declare(actor=world.owner, evaluation=evaluation, candidate=candidate, conflicted=False)
        services.scores_save(
            actor=world.owner, evaluation=evaluation, candidate=candidate, values={criterion.pk: {"points": points}}
        )
    services.conflict_declare(actor=world.expert, evaluation=evaluation, candidate=first, conflicted=False)
    services.scores_save(
        actor=world.expert, evaluation=evaluation, candidate=first, values={criterion.pk: {"points": 2}}
    )
    # The expert's sheet shows only the expert's own scores, never the owner's.
    expert = world.client(world.expert)
    sheet = expert.get(reverse("evaluations:sheet", args=[world.need.pk])).content.decode()
    assert 'value="2" selected' in sheet and 'value="5" selected' not in sheet
    assert expert.get(reverse("evaluations:matrix", args=[world.need.pk])).status_code == 403
    with refused("precondition"):
        services.evaluation_submit(actor=world.expert, evaluation=evaluation)
    # A conflict declared later removes the scores already given for that startup.
    services.conflict_declare(
        actor=world.expert, evaluation=evaluation, candidate=first, conflicted=True, note="Beteiligung"
    )
    services.conflict_declare(actor=world.expert, evaluation=evaluation, candidate=second, conflicted=False)
    services.scores_save(
        actor=world.expert, evaluation=evaluation, candidate=second, values={criterion.pk: {"points": 3}}
    )
    assert not Score.objects.filter(evaluator__user=world.expert, candidate=first).exists()
    for person in (world.owner, world.expert):
        services.evaluation_submit(actor=person, evaluation=evaluation)
    matrix, _listed, _criteria, _people = selectors.matrix(user=world.owner, evaluation=evaluation)
    rows = {row.candidate_id: row for row in matrix.rows}
    assert rows[first.pk].mean == Decimal("500.00") and len(rows[first.pk].by_evaluator) == 1
    assert rows[second.pk].mean == Decimal("200.00")
    with pytest.raises(PermissionDenied):  # submitted scores are final
        services.scores_save(
            actor=world.owner, evaluation=evaluation, candidate=first, values={criterion.pk: {"points": 0}}
        )


def test_a_juror_reads_what_she_scores_unless_she_declared_a_conflict(setup):
    """Issue 17, D3: an external juror saw no answer, price, attachment or profile, and the attachment gave 403."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotsenhaus.needs.models import Answer, AnswerAttachment

    world, evaluation, candidates = setup
    first, second = candidates[:2]
    answer = Answer.objects.get(need=world.need, startup=first.startup)
    member = next(m for m in world.members if m.memberships.filter(organisation=first.startup.organisation).exists())
    # Uploaded while the need was open (the upload path itself is tested with the answers).
    pdf = SimpleUploadedFile("konzept.pdf", b"%PDF-1.4 Konzept", content_type="application/pdf")
    attachment = AnswerAttachment.objects.create(
        answer=answer, file=pdf, original_name="konzept.pdf", size=len(b"%PDF-1.4 Konzept"), uploaded_by=member
    )
    criterion = services.criterion_add(
        actor=world.coordinator, evaluation=evaluation, kind="weighted", name="Qualität", weight=Decimal(100),
        levels=list("012345"),
    )  # fmt: skip
    assert criterion
    services.evaluator_invite(actor=world.coordinator, evaluation=evaluation, user=world.expert)
    services.evaluation_open(actor=world.coordinator, evaluation=evaluation)
    services.price_set(actor=world.coordinator, evaluation=evaluation, candidate=first, amount=Decimal("41234.50"))
    juror = world.client(world.expert)
    sheet = juror.get(reverse("evaluations:sheet", args=[world.need.pk])).content.decode()
    assert answer.approach in sheet and "41.234,50" in sheet and "konzept.pdf" in sheet
    assert reverse("startups:detail", args=[first.startup.pk]) in sheet
    assert juror.get(reverse("needs:attachment", args=[attachment.pk])).status_code == 200
    assert juror.get(reverse("startups:detail", args=[first.startup.pk])).status_code == 200
    # A conflict of interest closes the startup's documents to her.
    services.conflict_declare(actor=world.expert, evaluation=evaluation, candidate=first, conflicted=True)
    sheet = juror.get(reverse("evaluations:sheet", args=[world.need.pk])).content.decode()
    card = sheet.split(f'id="candidate-{first.pk}"')[1].split(f'id="candidate-{second.pk}"')[0]
    assert answer.approach not in card and "konzept.pdf" not in sheet and "41.234,50" not in sheet
    assert juror.get(reverse("needs:attachment", args=[attachment.pk])).status_code == 403
    # Someone who is not a juror still reads nothing.
    assert world.client(world.members[2]).get(reverse("needs:attachment", args=[attachment.pk])).status_code == 403


def test_the_sheet_marks_no_score_optional_and_asks_before_the_final_submit(setup):
    """Issue 17, D36: score selects said "optional", and the irreversible submit asked nothing."""
    world, evaluation, candidates = setup
    services.criterion_add(
        actor=world.coordinator, evaluation=evaluation, kind="weighted", name="Qualität", weight=Decimal(100),
        levels=list("012345"),
    )  # fmt: skip
    services.evaluator_invite(actor=world.coordinator, evaluation=evaluation, user=world.expert)
    services.evaluation_open(actor=world.coordinator, evaluation=evaluation)
    services.conflict_declare(actor=world.expert, evaluation=evaluation, candidate=candidates[0], conflicted=False)
    sheet = world.client(world.expert).get(reverse("evaluations:sheet", args=[world.need.pk])).content.decode()
    score_label = sheet.split("Qualität (100")[1].split("</label>")[0]
    assert "kern-label__optional" not in score_label
    assert 'data-confirm="' in sheet.split('value="submit"')[0].rsplit("<form", 1)[1]


def test_the_price_field_starts_from_the_answers_cost_estimate(setup):
    """Issue 17: the price was not pre-filled from the answer."""
    from lotsenhaus.needs.models import Answer

    world, _evaluation, candidates = setup
    first = candidates[0]
    Answer.objects.filter(need=world.need, startup=first.startup).update(cost_estimate=Decimal("38500.00"))
    page = world.client(world.coordinator).get(reverse("evaluations:overview", args=[world.need.pk])).content.decode()
    field = page.split(f'id="price-{first.pk}"')[1].split(">")[0]
    assert 'value="38500.00"' in field and f"price-hint-{first.pk}" in field


def test_the_short_list_is_fixed_once_scoring_opens(setup):
    """Exploration refuses to move a candidate on or off the short list while jurors score (registered check)."""
    from lotsenhaus.exploration import services as exploration
    from lotsenhaus.exploration.models import CandidateStatus

    world, evaluation, candidates = setup
    c = world.coordinator
    first = candidates[0]  # on the short list; while the criteria are set, it may still leave it and come back
    first = exploration.candidate_update(actor=c, candidate=first, version=first.version, status=CandidateStatus.TALKED)
    first = exploration.candidate_update(
        actor=c, candidate=first, version=first.version, status=CandidateStatus.SHORTLIST
    )
    for name, weight in (("Qualität", 60), ("Preis", 30), ("Team", 10)):
        services.criterion_add(
            actor=c, evaluation=evaluation, kind="weighted", name=name, weight=Decimal(weight), levels=list("012345")
        )
    services.evaluator_invite(actor=c, evaluation=evaluation, user=world.expert)
    services.evaluation_open(actor=c, evaluation=evaluation)
    first.refresh_from_db()
    with refused("wrong_state", field="status"):
        exploration.candidate_update(actor=c, candidate=first, version=first.version, status=CandidateStatus.TALKED)
