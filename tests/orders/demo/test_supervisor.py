"""The demo's supervisor (orders/demo/supervisor.py), run as its own OS process with stand-in children:
however it is stopped, no child and no grandchild (runserver's autoreloaded server) is left running."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]

# A child writes its pid to the folder, and so does what it spawns; each then sleeps.
SLEEPER = "import os, sys, time; open(os.path.join(sys.argv[1], str(os.getpid())), 'w').close(); time.sleep(600)"
SPAWNER = (
    "import os, subprocess, sys, time; subprocess.Popen([sys.executable, '-c', sys.argv[2], sys.argv[1]]); "
    "open(os.path.join(sys.argv[1], str(os.getpid())), 'w').close(); time.sleep(600)"
)
STUBBORN = (
    "import os, signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "open(os.path.join(sys.argv[1], str(os.getpid())), 'w').close(); time.sleep(600)"
)
QUITTER = "import sys, time; time.sleep(1); sys.exit(3)"

SUPERVISOR = """
import sys
from orders.demo.supervisor import Child, supervise
folder, sleeper, spawner, stubborn, quitter = sys.argv[1:6]
children = [Child("sleeper", [sys.executable, "-c", sleeper, folder]),
            Child("server", [sys.executable, "-c", spawner, folder, sleeper]),
            Child("stubborn", [sys.executable, "-c", stubborn, folder])]
if quitter != "-":
    children.append(Child("quitter", [sys.executable, "-c", quitter]))
sys.exit(supervise(children, grace=1.0))
"""
PIDS = 4  # sleeper, server, the server's own child, stubborn


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for its parent."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def wait_until(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def launch(folder: Path, *, quitter: bool = False, orphaned: bool = False) -> subprocess.Popen:
    argv = [sys.executable, "-c", SUPERVISOR, str(folder), SLEEPER, SPAWNER, STUBBORN, QUITTER if quitter else "-"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if orphaned:  # started by a process that the test kills, as when make is killed
        argv = [
            sys.executable,
            "-c",
            "import subprocess, sys, time; subprocess.Popen(sys.argv[1:]); time.sleep(600)",
            *argv,
        ]
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


@pytest.fixture
def pid_folder(tmp_path):
    folder = tmp_path / "pids"
    folder.mkdir()
    yield folder
    for name in os.listdir(folder):  # never leave a stand-in behind, even when the test fails
        if running(int(name)):
            os.kill(int(name), signal.SIGKILL)


def pids(folder):
    return [int(name) for name in os.listdir(folder)]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["Ctrl+C", "TERM", "HUP"])
def test_a_signal_stops_every_child_and_grandchild(pid_folder, signum):
    supervisor = launch(pid_folder)
    assert wait_until(lambda: len(pids(pid_folder)) == PIDS)
    supervisor.send_signal(signum)
    assert supervisor.wait(timeout=60) == 0
    assert [pid for pid in pids(pid_folder) if running(pid)] == []


def test_a_child_that_ends_stops_the_others_and_is_named(pid_folder):
    supervisor = launch(pid_folder, quitter=True)
    assert supervisor.wait(timeout=60) == 1
    assert "quitter ended (exit status 3). Stopping the others." in supervisor.stdout.read()
    assert len(pids(pid_folder)) == PIDS
    assert [pid for pid in pids(pid_folder) if running(pid)] == []


def test_an_orphaned_supervisor_stops_everything(pid_folder):
    starter = launch(pid_folder, orphaned=True)
    assert wait_until(lambda: len(pids(pid_folder)) == PIDS)
    starter.kill()
    starter.wait()
    assert wait_until(lambda: not any(running(pid) for pid in pids(pid_folder)))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"addr": "8123"}, "--addr must be HOST:PORT"),
        ({"addr": "127.0.0.1:http"}, "--addr must be HOST:PORT"),
        ({"addr": "127.0.0.1:70000"}, "--addr must be HOST:PORT"),
        ({"interval": 0}, "--interval must be between 0 and 86400"),
    ],
)
def test_run_demo_refuses_bad_options_with_a_message(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("run_demo", **options)
