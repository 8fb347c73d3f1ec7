"""The cyclic collector is paused during a knowledge build and restored afterwards, whatever happens."""

import gc
import threading

import pytest

from bot.knowledge import gc_pause
from bot.knowledge.assistant import Assistant
from bot.knowledge.gc_pause import collector_paused
from bot.knowledge.load import load_knowledge


def test_paused_inside_and_restored_after_nested_builds():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer build is still running
    assert gc.isenabled()


def test_restored_after_a_failed_build():
    with pytest.raises(RuntimeError):
        with collector_paused():
            raise RuntimeError("broken knowledge")
    assert gc.isenabled()


def test_stays_off_when_it_was_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_builds_in_two_threads_enable_it_only_when_both_ended():
    first_inside, release = threading.Event(), threading.Event()

    def build():
        with collector_paused():
            first_inside.set()
            release.wait(5)

    thread = threading.Thread(target=build)
    thread.start()
    first_inside.wait(5)
    with collector_paused():
        pass
    assert not gc.isenabled()  # the other thread's build still runs
    release.set()
    thread.join(5)
    assert gc.isenabled() and gc_pause._depth == 0


def test_loading_and_building_run_paused(monkeypatch):
    seen = []
    real = gc_pause.collector_paused

    def spy():
        seen.append("paused")
        return real()

    monkeypatch.setattr("bot.knowledge.load.collector_paused", spy)
    monkeypatch.setattr("bot.knowledge.assistant.collector_paused", spy)
    Assistant(load_knowledge())
    assert seen == ["paused", "paused"] and gc.isenabled()


def test_what_a_build_made_is_not_left_for_a_young_collection():
    """The build's objects go to the oldest generation at its end: no collection of 'young' objects
    walks all of them on the first allocation afterwards."""
    with collector_paused():
        made = [[i] for i in range(20_000)]
    assert gc.get_count()[0] < 1_000 and gc.isenabled()
    assert gc.is_tracked(made[0])  # still collectable, nothing is frozen for good
    assert gc.get_freeze_count() == 0
