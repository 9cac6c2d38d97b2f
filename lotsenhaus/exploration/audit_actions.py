"""Audit actions of exploration: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

CANDIDATE_ADD = action("candidate.add")
CANDIDATE_CONTACT = action("candidate.contact")
CANDIDATE_UPDATE = action("candidate.update")
EXPLORATION_CONTACTS_EXPIRED = action("exploration.contacts_expired")
EXPLORATION_MESSAGE = action("exploration.message")
EXPLORATION_SEARCH = action("exploration.search")
EXPLORATION_START = action("exploration.start")
EXPLORATION_UPDATE = action("exploration.update")
EXPLORATION_REPORT_GENERATE = action("exploration_report.generate")
QUESTION_ANSWER = action("question.answer")
QUESTION_ASK = action("question.ask")
QUESTION_SHARE = action("question.share")
