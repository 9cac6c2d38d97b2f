"""Lists of enum codes stored as ``,a,b,`` in a text column.

One ``contains`` filter then works alike on SQLite and PostgreSQL (SQLite has no JSON ``contains``).
"""

from collections.abc import Iterable


def encode_codes(codes: Iterable[str]) -> str:
    codes = [str(code) for code in codes]
    return f",{','.join(codes)}," if codes else ""


def decode_codes(value: str) -> list[str]:
    return [code for code in value.split(",") if code]
