"""A small German–English dictionary in dictd's format (the layout of Debian's ``dict-freedict-deu-eng``), so
that every test run translates the same few words whether the real dictionary is installed or not. The entries
are written here for the tests, in FreeDict's layout: headword line, then the first sense's English."""

import gzip
from pathlib import Path

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

ENTRIES = [
    ("Antrag", "application <n>, request <n>\n"),
    ("Bürger", "citizen <n>\n"),
    ("Daten", "data <pl>\n"),
    ("Schule", "school <n>\n"),
    ("Texterkennung", "text recognition <n>\n"),
    ("Verkehr", " [ugs.] intercourse <n>\n"),  # a labelled first entry: skipped, so "Verkehr" stays untranslated
    ("Verkehr", "traffic <n>\n"),
    ("Verwaltung", "administration <n> (public)\n"),
    ("werden", "become <v>\n"),  # a German stop word: never looked up
]


def _b64(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 64)
        digits = B64[rest] + digits
        if not number:
            return digits


def write_dictionary(base: Path, entries: list[tuple[str, str]] = ENTRIES) -> Path:
    """``base``.index and ``base``.dict.dz; returns ``base`` (what LOTSENHAUS_DICTIONARY names)."""
    data, index = b"", []
    for headword, sense in entries:
        entry = f"{headword} /x/ <n>\n{sense}".encode()
        index.append(f"{headword}\t{_b64(len(data))}\t{_b64(len(entry))}\n")
        data += entry
    base.parent.mkdir(parents=True, exist_ok=True)
    base.with_name(base.name + ".index").write_text("".join(index), encoding="utf-8")
    with gzip.open(base.with_name(base.name + ".dict.dz"), "wb") as out:
        out.write(data)
    return base
