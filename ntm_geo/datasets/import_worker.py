"""Run :func:`ntm_geo.datasets.importing.table.import_table` in a separate, lower-priority process.

The importer bounds its own work (rows, columns, zip sizes, a wall-clock budget checked in its
loops), but inside the Streamlit server it still shares the interpreter lock and the CPU with
every viewer. :func:`import_in_worker` runs it in a child process instead:

- at ``nice`` 10 (other viewers' map time during hostile uploads: 2.2x at the server's priority,
  within 1.5x at a lower one, ``bench/README.md``);
- with an address-space limit (:data:`WORKER_MEMORY_BYTES`): a parser that runs away gets a
  MemoryError in the child, never in the server;
- killed when :data:`~ntm_geo.datasets.importing.limits.IMPORT_TIME_BUDGET_S` plus
  :data:`WORKER_GRACE_S` have passed (the budget is also checked inside the child: this is the
  backstop for a call that never returns to Python), so an upload is always cancellable;
- its memory goes back to the system when it exits.

Processes come from a ``forkserver`` context that preloads the importer, so each upload forks a
warm process (no interpreter start, no pandas import) and never forks the server's threads.
Measured on the 226-row illustrative table (load ~13): 2.8 s for the first call (the fork server
starts), then 0.86 s a call against 0.26 s for ``import_table`` in-process. Like every
``multiprocessing`` child, the worker re-imports the parent's ``__main__`` unless it is a
package's ``__main__`` or a guarded script (``streamlit run``, ``python -m …`` and pytest are).

Errors raised on purpose come back as the same :class:`~ntm_geo.errors.NtmGeoError` subclass with
both messages and the location; anything else becomes a :class:`~ntm_geo.errors.DataError` with no
traceback or path.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from typing import Any

from ntm_geo import errors
from ntm_geo.datasets.importing.limits import IMPORT_TIME_BUDGET_S, BudgetSpentError
from ntm_geo.datasets.importing.report import ImportReport
from ntm_geo.errors import DataError, NtmGeoError

#: Address-space limit of the worker, bytes (the hostile files peak at ~140 MB of RSS; pandas,
#: numpy and pyarrow map far more address space than they use).
WORKER_MEMORY_BYTES = 2 * 2**30
#: Seconds after the importer's own budget before the worker is killed.
WORKER_GRACE_S = 5.0
WORKER_NICE = 10

_CONTEXT: Any = None


def _context() -> Any:
    global _CONTEXT
    if _CONTEXT is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["ntm_geo.datasets.importing.table"])
        _CONTEXT = ctx
    return _CONTEXT


def _child(conn: Any, data: bytes, filename: str, kwargs: dict[str, Any], memory: int, nice: int) -> None:
    try:
        os.nice(nice)
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        from ntm_geo.datasets.importing.table import import_table

        conn.send(("ok", import_table(data, filename, **kwargs)))
    except NtmGeoError as err:
        conn.send(
            ("error", type(err).__name__, err.message_en, err.message_vi, err.file, err.row, err.column)
        )
    except MemoryError:
        conn.send(("memory",))
    except BaseException as err:  # anything else: named by type only (no traceback, no path)
        conn.send(("crash", type(err).__name__))
    finally:
        conn.close()


def import_in_worker(
    data: bytes,
    filename: str,
    *,
    time_budget_s: float = IMPORT_TIME_BUDGET_S,
    memory_bytes: int = WORKER_MEMORY_BYTES,
    nice: int = WORKER_NICE,
    **kwargs: Any,
) -> ImportReport:
    """:func:`~ntm_geo.datasets.importing.table.import_table` in a child process; same arguments and result.

    Raises
    ------
    NtmGeoError
        What ``import_table`` raises (same class, messages, file, row, column).
    BudgetSpentError
        The child did not answer within ``time_budget_s`` + :data:`WORKER_GRACE_S` (it is killed).
    DataError
        The child ran out of its ``memory_bytes`` or failed unexpectedly.
    """
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    kwargs = {**kwargs, "time_budget_s": time_budget_s}
    proc = ctx.Process(target=_child, args=(child, data, filename, kwargs, memory_bytes, nice), daemon=True)
    proc.start()
    child.close()
    try:
        answer = parent.recv() if parent.poll(time_budget_s + WORKER_GRACE_S) else None
    except EOFError:  # the child died without a word (killed by the system)
        answer = ("crash", "EOFError")
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if answer is None:
        raise BudgetSpentError(
            f"{filename}: the import took more than {time_budget_s:g} s and was stopped. A province table "
            "(a few hundred rows) takes about a second: check that the file holds only the table.",
            f"{filename}: việc nhập tệp quá {time_budget_s:g} giây nên đã dừng. Bảng của tỉnh (vài trăm "
            "dòng) chỉ mất khoảng một giây: hãy kiểm tra tệp chỉ chứa bảng số liệu.",
            file=filename,
        )
    kind = answer[0]
    if kind == "ok":
        report: ImportReport = answer[1]
        return report
    if kind == "error":
        _, name, en, vi, file, row, column = answer
        cls = getattr(errors, name, None) or (BudgetSpentError if name == "BudgetSpentError" else DataError)
        if not (isinstance(cls, type) and issubclass(cls, NtmGeoError)):
            cls = DataError
        raise cls(en, vi, file=file, row=row, column=column)
    if kind == "memory":
        raise DataError(
            f"{filename}: reading the file needed more than {memory_bytes // 2**20} MB of memory and was "
            "stopped; a province table needs far less. Check that the file holds only the table.",
            f"{filename}: việc đọc tệp cần hơn {memory_bytes // 2**20} MB bộ nhớ nên đã dừng; bảng của tỉnh "
            "cần ít hơn nhiều. Hãy kiểm tra tệp chỉ chứa bảng số liệu.",
            file=filename,
        )
    raise DataError(
        f"{filename}: the file could not be read ({answer[1]}); save it again as 'CSV UTF-8' or .xlsx.",
        f"{filename}: không đọc được tệp ({answer[1]}); hãy lưu lại dạng 'CSV UTF-8' hoặc .xlsx.",
        file=filename,
    )
