"""The collector paused for bulk work: nested sections, errors and other threads leave it as it was."""

import gc
import threading

import pytest

from ssd_starter.core.bulk import collector_paused


def test_the_collector_resumes_when_the_outermost_section_ends_even_after_an_error():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with pytest.raises(ValueError), collector_paused():
            raise ValueError
        assert not gc.isenabled()  # the inner section's end does not resume it
    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_stays_paused():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_sections_on_two_threads_resume_it_only_when_both_are_done():
    inside, release = threading.Event(), threading.Event()

    @collector_paused()
    def other():
        inside.set()
        release.wait(5)

    thread = threading.Thread(target=other)
    with collector_paused():
        thread.start()
        inside.wait(5)
    assert not gc.isenabled()  # the other thread's section is still running
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_reading_and_planning_an_import_run_with_the_collector_paused(monkeypatch):
    from ssd_starter.core import importer, relation_import

    states = []
    real = importer._to_table
    monkeypatch.setattr(importer, "_to_table", lambda rows: (states.append(gc.isenabled()), real(rows))[1])
    table = importer.read_csv(b"Da;A\nCoop Uno;Coop Due\n")
    relation_import.plan_relations(table, [{"id": "a", "name": "Coop Uno"}, {"id": "b", "name": "Coop Due"}], [])
    assert states == [False] and gc.isenabled()
