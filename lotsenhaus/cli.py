"""The ``lotsenhaus`` console command: Django's management commands with our settings.

``lotsenhaus demo``, ``lotsenhaus serve`` and ``lotsenhaus worker`` are management commands too.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from lotsenhaus import __version__

        print(f"lotsenhaus {__version__}")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsenhaus.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lotsenhaus", *args])


if __name__ == "__main__":
    main()
