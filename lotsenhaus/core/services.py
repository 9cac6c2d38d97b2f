from typing import Any

from django.db import transaction

from .audit import audit
from .models import AccessibilityFeedback


@transaction.atomic
def feedback_submit(*, actor: Any, name: str, email: str, page_url: str, message: str) -> AccessibilityFeedback:
    """Store a barrier report; anyone may send one, signed in or not."""
    feedback = AccessibilityFeedback.objects.create(
        name=name,
        email=email,
        page_url=page_url,
        message=message,
        user=actor if actor.is_authenticated else None,
    )
    audit(actor=actor, action="accessibility_feedback.submit", obj=feedback)
    return feedback
