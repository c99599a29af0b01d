"""Runs the demo's processes side by side and stops every one of them together (`manage.py run_demo`).

Each child starts in a session of its own, so that it and whatever it spawns (runserver's autoreloader
serves from a child process) form one process group that is stopped as a whole: on Ctrl+C, SIGTERM or
SIGHUP, when any child ends, or when the process that started the supervisor (make) is gone. Stopping
sends SIGTERM to every group, then SIGKILL to what is left after a grace period. Plain Python, no
Django: the tests drive it with stand-in commands.
"""

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.2
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass(frozen=True)
class Child:
    name: str
    argv: list[str]
    log: Path | None = None  # None: the supervisor's own output (the terminal)


class _Stop(Exception):
    pass


def supervise(children: list[Child], grace: float = 10.0, say=print) -> int:
    """Start `children`, wait until a stop reason, stop them all; 0 for a stop asked from outside,
    else 1 with the name of the child that ended on its own."""
    parent = os.getppid()
    started: list[tuple[Child, subprocess.Popen]] = []
    previous = {signum: signal.signal(signum, _raise_stop) for signum in STOP_SIGNALS}
    try:
        for child in children:
            started.append((child, _start(child)))
        while True:
            for child, process in started:
                if process.poll() is not None:
                    where = f"; see {child.log}" if child.log else ""
                    say(f"{child.name} ended (exit status {process.returncode}){where}. Stopping the others.")
                    return 1
            if os.getppid() != parent:
                return 0  # orphaned: whatever started the demo is gone
            time.sleep(POLL_SECONDS)
    except _Stop:
        return 0
    finally:
        for signum in STOP_SIGNALS:  # a second Ctrl+C must not cut the clean-up short
            signal.signal(signum, signal.SIG_IGN)
        stop_groups([process for _, process in started], grace)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _raise_stop(signum, frame):
    raise _Stop(signum)


def _start(child: Child) -> subprocess.Popen:
    if child.log is None:
        return subprocess.Popen(child.argv, start_new_session=True)
    child.log.parent.mkdir(parents=True, exist_ok=True)
    with open(child.log, "wb") as log:  # a fresh log each start, as before
        return subprocess.Popen(
            child.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )


def stop_groups(processes: list[subprocess.Popen], grace: float) -> None:
    """SIGTERM to each process group, SIGKILL to the groups still alive after `grace` seconds."""
    _signal_groups(processes, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _alive_groups(processes):
        time.sleep(POLL_SECONDS)
    _signal_groups(_alive_groups(processes), signal.SIGKILL)
    for process in processes:
        process.wait()


def _signal_groups(processes, signum) -> None:
    for process in processes:
        try:
            os.killpg(process.pid, signum)  # the group's id is the leader's pid (start_new_session)
        except ProcessLookupError:
            pass


def _alive_groups(processes) -> list[subprocess.Popen]:
    alive = []
    for process in processes:
        process.poll()  # reap the leader, or it would count as alive while a zombie
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            continue
        alive.append(process)
    return alive
