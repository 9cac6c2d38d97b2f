"""How long the documents of the procurement file take: the market exploration report (DOCX + PDF) for a long
list of N startups with a contact each, and the evaluation matrix (aggregation, XLSX, PDF) for N short-listed
startups scored by five jurors. Medians of several runs, in a fresh SQLite database under var/bench/.

    python bench/pipeline_documents.py [--candidates 60] [--runs 5]
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, fresh_django, median_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    fresh_django("pipeline")
    from django.conf import settings
    from django.utils import timezone

    settings.MEDIA_ROOT = ROOT / "var" / "bench" / "media"
    from lotsenhaus.core.documents import to_docx, to_pdf
    from lotsenhaus.core.roles import Role
    from lotsenhaus.evaluations import export, selectors
    from lotsenhaus.evaluations import services as ev
    from lotsenhaus.exploration import report
    from lotsenhaus.exploration import services as ex
    from tests.factories import make_person
    from tests.pipeline import build_world, startup

    world = build_world()
    c = world.coordinator
    exploration = ex.exploration_start(actor=c, need=world.need, method="Bench")
    for index in range(args.candidates - exploration.candidates.count()):
        profile, _member, _solution = startup(f"Bench {index} GmbH")
        ex.candidate_add(actor=c, exploration=exploration, startup=profile)
    for candidate in exploration.candidates.all():
        ex.contact_add(
            actor=c,
            candidate=candidate,
            happened_on=timezone.localdate(),
            channel="video",
            participants="KO",
            summary="Gespräch " * 30,
        )
        candidate.refresh_from_db()
        ex.candidate_update(actor=c, candidate=candidate, version=candidate.version, status="shortlist")
    build = lambda: report.build(exploration=exploration, author=c, version=1)  # noqa: E731
    document = build()
    print(f"long list: {args.candidates} startups, one contact each; medians of {args.runs} runs")
    print(f"report structure (queries, text): {median_ms(build, args.runs):8.1f} ms")
    print(f"report DOCX:                      {median_ms(lambda: to_docx(document), args.runs):8.1f} ms")
    print(f"report PDF:                       {median_ms(lambda: to_pdf(document), args.runs):8.1f} ms")
    stored = median_ms(lambda: ex.report_generate(actor=c, exploration=exploration), args.runs)
    print(f"generate + store (both, audited): {stored:8.1f} ms")

    world.need.refresh_from_db()
    evaluation = ev.evaluation_start(actor=c, need=world.need)
    criteria = [
        ev.criterion_add(
            actor=c, evaluation=evaluation, kind="weighted", name=f"K{i}", weight=Decimal(20), levels=list("012345")
        )
        for i in range(5)
    ]
    jurors = [make_person(Role.EXPERT) for _ in range(5)]
    for person in jurors:
        ev.evaluator_invite(actor=c, evaluation=evaluation, user=person)
    evaluation = ev.evaluation_open(actor=c, evaluation=evaluation)
    for n, person in enumerate(jurors):
        for candidate in exploration.candidates.all():
            ev.conflict_declare(actor=person, evaluation=evaluation, candidate=candidate, conflicted=False)
            ev.scores_save(
                actor=person,
                evaluation=evaluation,
                candidate=candidate,
                values={k.pk: {"points": (candidate.pk + n + i) % 6} for i, k in enumerate(criteria)},
            )
        ev.evaluation_submit(actor=person, evaluation=evaluation)
    for candidate in exploration.candidates.all():
        ev.price_set(actor=c, evaluation=evaluation, candidate=candidate, amount=Decimal(20000 + candidate.pk * 100))

    def matrix():
        return selectors.matrix(user=c, evaluation=evaluation)

    result, listed, all_criteria, people = matrix()
    names = {x.pk: x.startup.organisation.name for x in listed}
    who = {e.pk: str(e.user) for e in people}
    print(f"matrix: {len(listed)} startups x {len(jurors)} jurors x {len(criteria)} criteria")
    print(f"matrix (queries + aggregation):   {median_ms(matrix, args.runs):8.1f} ms")

    def xlsx() -> bytes:
        return export.to_xlsx(evaluation=evaluation, matrix=result, names=names, evaluators=who)

    def pdf() -> bytes:
        document = export.to_report(
            evaluation=evaluation, matrix=result, names=names, evaluators=who, criteria=all_criteria, author=c
        )
        return to_pdf(document)

    print(f"matrix XLSX:                      {median_ms(xlsx, args.runs):8.1f} ms")
    print(f"matrix PDF:                       {median_ms(pdf, args.runs):8.1f} ms")


if __name__ == "__main__":
    main()
