"""Report untranslated or fuzzy entries of the German catalogue (used by a test and by developers)."""

import sys
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parent.parent / "lotsenhaus" / "locale" / "de" / "LC_MESSAGES" / "django.po"


def problems(path: Path = CATALOGUE) -> list[str]:
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            found.append(message.id if isinstance(message.id, str) else message.id[0])
    return found


if __name__ == "__main__":
    missing = problems()
    for msgid in missing:
        print(f"untranslated or fuzzy: {msgid!r}")
    sys.exit(1 if missing else 0)
