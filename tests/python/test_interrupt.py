"""Ctrl-C while cjsim simulates raises KeyboardInterrupt within a moment and stops the work,
which runs with the GIL released (other Python threads keep running meanwhile)."""
import os
import signal
import threading
import time

import cjsim
import pytest
from conftest import RETAIL

# Far more agents than the test waits for: about a minute of work on two cores.
LONG = dict(agents=200_000_000, seed=1, threads=2, allow_long=True, progress=False)


def interrupt_after(seconds):
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def test_sigint_stops_a_long_run_with_keyboard_interrupt():
    ticks = []
    stop = threading.Event()

    def tick():  # runs only if the simulation does not hold the GIL
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.05)

    ticker = threading.Thread(target=tick)
    ticker.start()
    timer = interrupt_after(1.0)
    began = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            cjsim.run(RETAIL, **LONG)
    finally:
        stop.set()
        ticker.join()
        timer.cancel()
    stopped = time.monotonic() - began
    slack = 5.0 if os.environ.get("CJSIM_SANITIZED") else 2.0
    assert 1.0 <= stopped < 1.0 + slack, stopped
    assert len([t for t in ticks if t - began < 0.9]) >= 5  # the GIL was free while it ran


def test_sigint_stops_a_comparison_too():
    timer = interrupt_after(0.5)
    began = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            cjsim.compare(RETAIL, RETAIL, **LONG)
    finally:
        timer.cancel()
    assert time.monotonic() - began < 3.0


def test_after_an_interrupt_the_next_run_works():
    timer = interrupt_after(0.3)
    try:
        with pytest.raises(KeyboardInterrupt):
            cjsim.run(RETAIL, **LONG)
    finally:
        timer.cancel()
    result = cjsim.run(RETAIL, agents=2000, seed=1, progress=False)
    assert result.counts["agents"] == 2000
