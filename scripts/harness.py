"""Small pieces shared by the scripts and tests that start servers of their own: the package smoke test, the
scale-out test, API fuzzing, the load benchmark and the object store for tests."""

import socket
import time

STARTED = time.monotonic()


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def step(text: str) -> None:
    """Print a line with the seconds since the script started."""
    print(f"[{time.monotonic() - STARTED:6.1f} s] {text}", flush=True)
