"""gunicorn settings of ``lotsenhaus serve`` (and of the load benchmark).

The application and the search index are loaded once in the master process and shared by the forked workers
(copy-on-write), so after a deploy no worker answers its first search only after loading the whole index
(about 12 s for 200,000 documents). Each worker then only applies what changed since.
"""

import os
import time
from typing import Any

preload_app = True
graceful_timeout = 10


def when_ready(server: Any) -> None:
    if os.environ.get("LOTSENHAUS_SEARCH_PRELOAD", "1") != "0":
        from lotsenhaus.matching.index import live_index

        started = time.perf_counter()
        size = len(live_index().engine)
        server.log.info("Search index loaded: %d documents in %.1f s", size, time.perf_counter() - started)
    from django.db import connections

    connections.close_all()  # every worker opens its own connections after the fork
