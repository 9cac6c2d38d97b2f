from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # the user model may not be imported before the apps are loaded
    from lotsenhaus.accounts.models import User


class EvaluationsConfig(AppConfig):
    name = "lotsenhaus.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from lotsenhaus.core import navigation, privacy
        from lotsenhaus.core.navigation import DashboardCard, NavItem
        from lotsenhaus.exploration.services import register_shortlist_lock

        from .selectors import scoring_started

        register_shortlist_lock(scoring_started)
        privacy.declare("evaluations.evaluator", keep=("user", "invited_by"))
        privacy.declare("evaluations.price", keep=("entered_by",))
        privacy.register_export("evaluations.own_scores_and_declarations", _own_judgements)

        navigation.register(
            NavItem(
                label=_("My evaluations"),
                url_name="evaluations:mine",
                permission="evaluations.view_own_evaluations",
                order=45,
            )
        )
        navigation.register_cards(
            DashboardCard(
                _("Evaluations"),
                _("Evaluations you have been invited to."),
                "roles.expert",
                "evaluations:mine",
                _("Open my evaluations"),
                order=40,
            ),
        )


def _own_judgements(user: "User") -> list[dict[str, object]]:
    """A juror's own scores and conflict declarations: data about them, reached only through their seat."""
    from .models import ConflictDeclaration, Score

    rows: list[dict[str, object]] = []
    for declaration in ConflictDeclaration.objects.filter(evaluator__user=user).order_by("pk"):
        rows.append(
            {
                "kind": "conflict_declaration",
                "evaluation": declaration.evaluator.evaluation_id,
                "candidate": declaration.candidate_id,
                "conflicted": declaration.conflicted,
                "note": declaration.note,
                "declared_at": declaration.declared_at,
            }
        )
    for score in Score.objects.filter(evaluator__user=user).order_by("pk"):
        rows.append(
            {
                "kind": "score",
                "evaluation": score.evaluator.evaluation_id,
                "candidate": score.candidate_id,
                "criterion": score.criterion_id,
                "points": score.points,
                "passed": score.passed,
                "comment": score.comment,
            }
        )
    return rows
