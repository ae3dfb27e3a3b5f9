"""The first-run conversion outlives the tab that asked for it (issue 14, item 14)."""

from __future__ import annotations

import threading

import pytest

from ntm_geo.geo import background


def test_runs_once_and_reports_progress():
    calls = []
    gate = threading.Event()

    def work(progress):
        calls.append(1)
        progress(0.5, "half")
        gate.wait(5)
        return "built"

    job = background.start("t-once", work)
    again = background.start("t-once", work)  # a second page run polls the same job
    assert again is job
    with pytest.raises(TimeoutError, match="still running"):
        job.wait(0.05)
    gate.set()
    assert job.wait(5) == "built"
    assert job.fraction == 0.5 and job.message == "half"
    assert background.start("t-once", work) is job and calls == [1]


def test_failure_is_kept_then_retried():
    attempts = []

    def work(progress):
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("download failed")
        return 7

    job = background.start("t-retry", work)
    with pytest.raises(OSError, match="download failed"):
        job.wait(5)
    retry = background.start("t-retry", work)
    assert retry is not job and retry.wait(5) == 7


def test_work_goes_on_when_no_one_polls():
    """The page's script may stop (tab closed): the thread keeps going on its own."""
    finished = threading.Event()
    job = background.start("t-orphan", lambda progress: finished.set())
    assert finished.wait(5) and job.done.wait(5)
