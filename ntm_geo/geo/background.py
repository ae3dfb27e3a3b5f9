"""Long one-off work (the first-run boundary conversion) that outlives the browser tab asking for it.

Streamlit stops a page's script when its tab closes; work done inside the script (the ~30 s first
conversion of the boundary file) was then abandoned, and the next visitor started it again. A
:class:`BackgroundJob` runs the work once per process in a daemon thread; any number of page runs
poll its progress, and a closed tab only stops the polling, never the work.

Examples
--------
>>> job = start("demo", lambda progress: progress(1.0, "done") or 42)
>>> job.wait(5)
42
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

#: ``progress(fraction 0..1, message)``, as :func:`ntm_geo.geo.boundaries.load_boundaries` takes.
Progress = Callable[[float, str], None]


@dataclass
class BackgroundJob:
    """One run of ``work(progress)`` in a daemon thread; read its state from any thread.

    Attributes
    ----------
    fraction, message
        The last progress reported (0..1, text in the work's own words).
    done
        Set when the work returned or raised.
    error
        The exception it raised (re-raised by :meth:`wait`), else ``None``.
    """

    name: str
    fraction: float = 0.0
    message: str = ""
    result: Any = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def _progress(self, fraction: float, message: str) -> None:
        self.fraction, self.message = float(fraction), str(message)

    def _run(self, work: Callable[[Progress], Any]) -> None:
        try:
            self.result = work(self._progress)
        except BaseException as err:  # kept for the pollers; the thread itself must not die loudly
            log.exception("background job %s failed", self.name)
            self.error = err
        finally:
            self.done.set()

    def wait(self, timeout: float | None = None) -> Any:
        """The work's result once done (re-raising its exception); ``TimeoutError`` if not yet."""
        if not self.done.wait(timeout):
            raise TimeoutError(f"{self.name}: still running ({self.fraction:.0%} {self.message})")
        if self.error is not None:
            raise self.error
        return self.result


_jobs: dict[str, BackgroundJob] = {}
_lock = threading.Lock()


def start(name: str, work: Callable[[Progress], Any]) -> BackgroundJob:
    """The job called ``name``: started now in a daemon thread, or the one already running.

    A job that failed is started afresh by the next call (a download that failed is retried, not
    remembered); one that succeeded is returned as it is.
    """
    with _lock:
        job = _jobs.get(name)
        if job is None or (job.done.is_set() and job.error is not None):
            job = BackgroundJob(name)
            _jobs[name] = job
            threading.Thread(target=job._run, args=(work,), name=f"ntm-geo {name}", daemon=True).start()
        return job
