"""Audit actions of matching: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

DIGEST_SUBSCRIBE = action("digest.subscribe")
DIGEST_UNSUBSCRIBE = action("digest.unsubscribe")
SEARCH_REINDEX = action("search.reindex")
SEARCH_REINDEX_REQUESTED = action("search.reindex_requested")
