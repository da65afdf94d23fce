"""scripts/supervise.py, which scripts/run uses for web, worker and beat: whichever process dies is started
again (what it left of its process group killed first), and only SIGINT stops them all, leaving nothing.

Stand-in processes instead of the real ones: what is tested is the supervision, not what it supervises."""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

SUPERVISE = Path(settings.BASE_DIR) / "scripts" / "supervise.py"
WAIT_SECONDS = 60  # a deadline for a condition, not a sleep: a busy machine only makes it slower


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_for(condition: Callable[[], object], what: str, log: Path) -> object:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    pytest.fail(f"{what} did not happen in {WAIT_SECONDS}s; supervise.log:\n{log.read_text() if log.exists() else ''}")


def started_pids(log: Path, name: str) -> list[int]:
    text = log.read_text() if log.exists() else ""
    return [int(p) for p in re.findall(rf"supervise: {name} started \(pid (\d+)\)", text)]


@pytest.fixture
def supervised(tmp_path: Path):
    # "pool": a leader with a child of its own in its group, as a Celery worker has its pool processes.
    pool = (f"{sys.executable} -c \"import subprocess, time; p = subprocess.Popen(['sleep', '600']); "
            f"print(p.pid, flush=True); time.sleep(600)\"")
    process = subprocess.Popen(
        [sys.executable, str(SUPERVISE), "--log-dir", str(tmp_path), "--backoff", "0.05", "--grace", "10",
         f"pool={pool}", f"crash={sys.executable} -c 'import sys; sys.exit(3)'"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield process, tmp_path
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def grandchild(log_dir: Path, after: int = 0) -> int:
    lines = [line for line in (log_dir / "pool.log").read_text().splitlines() if line.isdigit()]
    return int(lines[after]) if len(lines) > after else 0


def test_it_restarts_what_dies_and_stops_everything_only_on_sigint(supervised) -> None:
    supervisor, logs = supervised
    log = logs / "supervise.log"
    first = wait_for(lambda: started_pids(log, "pool"), "the pool process starting", log)[0]
    first_child = wait_for(lambda: grandchild(logs), "the pool's child starting", log)

    # A process that keeps exiting is restarted each time (with back-off), and the others keep running.
    wait_for(lambda: len(re.findall(r"crash \(pid \d+\) exited with code 3", log.read_text())) >= 3,
             "three restarts of the crashing process", log)
    assert alive(first) and supervisor.poll() is None

    # kill -9 of a leader: restarted, and the child it left behind is killed rather than left to work on.
    os.kill(first, signal.SIGKILL)
    second = wait_for(lambda: started_pids(log, "pool")[1:], "the pool process restarting", log)[0]
    assert f"pool (pid {first}) exited with signal 9" in log.read_text()
    wait_for(lambda: not alive(first_child), "the orphaned child being killed", log)
    second_child = wait_for(lambda: grandchild(logs, after=1), "the new pool's child starting", log)
    assert "starting pool" in (logs / "pool.log").read_text()  # each start is marked in the process's log

    # Ctrl-C: everything stops, grandchildren included, and the supervisor exits cleanly.
    supervisor.send_signal(signal.SIGINT)
    assert supervisor.wait(timeout=WAIT_SECONDS) == 0
    assert not alive(second) and not alive(second_child)
    crash_pids = re.findall(r"crash started \(pid (\d+)\)", log.read_text())
    assert not any(alive(int(pid)) for pid in crash_pids)
    assert log.read_text().rstrip().endswith("supervise: stopped")


def test_it_refuses_a_process_without_a_command(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(SUPERVISE), "--log-dir", str(tmp_path), "web="],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "NAME=COMMAND" in result.stderr
