"""Signals any app may send, so that listeners (the search index) need not be imported by the sender."""

from django.dispatch import Signal

# Sent inside the transaction after objects were written in bulk (``bulk_create`` sends no ``post_save``):
# ``sender`` is the model, ``instances`` the objects. The search index brings their documents up to date in
# one pass instead of one per object.
bulk_saved = Signal()

# Sent by ``lotsenhaus worker`` before it takes its first task: what an app would otherwise prepare inside the
# first task that needs it (the German–English dictionary) is ready then, so that no task waits for it.
worker_starting = Signal()
