"""Signals other apps listen to, so that organisations need not import them."""

from django.dispatch import Signal

# Sent inside the transaction when someone outside the unit changes what identifies an organisation (name,
# website): ``organisation``, ``actor``, ``changed`` (the field names). The startups app sends a verified
# startup back to verification.
identity_changed = Signal()
