"""``python -m ntm_geo frameworks``: the criteria frameworks the app knows, with their sources.

::

    python -m ntm_geo frameworks [--json] [--lang vi|en] [--id ID] [--file F.yaml ...]

Lists every framework — the national ones of ``data/frameworks/``, the province's own
(``NTM_GEO_FRAMEWORKS_DIR``) and any ``--file`` given (validated: a province checks its own file
this way before installing it) — with its years, number of criteria, number of indicators (as the
legal text states it, and how many the file lists), levels, every criterion with its indicators
and their thresholds per region or commune group, and the source of its lines; ``--id``
keeps one. ``--json`` prints ``{"frameworks": [Framework.to_dict(), …]}`` (see
:meth:`ntm_geo.criteria.frameworks.Framework.to_dict`). A bad file stops with exit status 2 and
a Vietnamese and English message naming the file and the field.
"""

from __future__ import annotations

import argparse
import json

from ntm_geo.criteria.framework_listing import framework_text
from ntm_geo.criteria.frameworks import all_frameworks, framework, load_framework


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help='print {"frameworks": [...]} as JSON')
    p.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of the text listing (default vi)"
    )
    p.add_argument("--id", dest="framework_id", help="show only the framework with this id (e.g. qd51_2025)")
    p.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="FILE",
        help="also read (and validate) this framework file; may be repeated",
    )


def _run(args: argparse.Namespace) -> int:
    extra = [load_framework(path) for path in args.file]
    items = all_frameworks(extra)
    if args.framework_id:
        items = (framework(args.framework_id, items),)
    if args.json:
        print(json.dumps({"frameworks": [fw.to_dict() for fw in items]}, ensure_ascii=False, indent=2))
        return 0
    for i, fw in enumerate(items):
        if i:
            print()
        print("\n".join(framework_text(fw, args.lang)))
    return 0


#: (name, help, configure, handler) for :func:`ntm_geo.__main__.register`.
FRAMEWORKS = (
    "frameworks",
    "list the NTM criteria frameworks (years, criteria, indicators, sources)",
    _configure,
    _run,
)
