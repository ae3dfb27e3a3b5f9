"""How well double-encoded Vietnamese is repaired: ftfy alone against the importer's repair.

Every unit and district name of the GSO list (237 texts) and the 19 criterion names are encoded
as UTF-8, read back as Windows-1252, Latin-1 or Windows-1258 (bytes a code page leaves undefined
kept as U+0080..U+00FF, as Windows does) and, for "+NFC", normalised as an editor may do; then
repaired by ``ftfy.fix_encoding`` alone and by
:func:`ntm_geo.datasets.importing.encodings.repair_mojibake`. Prints exact repairs per way and the time per
text. Also checks that no correct text is changed.

    python bench/mojibake_vietnamese.py
"""

from __future__ import annotations

import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _sloppy_decode(data: bytes, codec: str) -> str:
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def main() -> int:
    import ftfy

    from ntm_geo.criteria.framework import load_criteria
    from ntm_geo.datasets.importing.encodings import repair_mojibake
    from ntm_geo.geo.units import official_units

    units = official_units()
    texts = list(units["name_with_type"]) + list(units["district_name"].unique())
    texts += [c.name_vi for c in load_criteria()]
    print(f"{len(texts)} Vietnamese texts (unit, district and criterion names)")
    for codec in ("cp1252", "latin-1", "cp1258"):
        for nfc in (False, True):
            garbled = [_sloppy_decode(t.encode("utf-8"), codec) for t in texts]
            if nfc:
                garbled = [unicodedata.normalize("NFC", g) for g in garbled]
            t0 = time.perf_counter()
            by_ftfy = sum(
                unicodedata.normalize("NFC", ftfy.fix_encoding(g)) == t
                for g, t in zip(garbled, texts, strict=True)
            )
            t1 = time.perf_counter()
            ours = sum(repair_mojibake(g) == t for g, t in zip(garbled, texts, strict=True))
            t2 = time.perf_counter()
            print(
                f"  via {codec:8}{' +NFC' if nfc else '     '}: ftfy alone {by_ftfy}/{len(texts)} "
                f"({(t1 - t0) / len(texts) * 1e3:.3f} ms/text), importer {ours}/{len(texts)} "
                f"({(t2 - t1) / len(texts) * 1e3:.3f} ms/text)"
            )
    untouched = sum(repair_mojibake(t) is None for t in texts)
    print(f"  correct texts left alone: {untouched}/{len(texts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
