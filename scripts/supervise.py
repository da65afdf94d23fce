#!/usr/bin/env python3
"""Keep a few processes running until Ctrl-C: what `scripts/run` uses for web, worker and beat.

    supervise.py --log-dir .local/log web='gunicorn …' worker='celery -A fund worker …' beat='celery … beat'

Each process runs in its own process group, its output appended to <log-dir>/<name>.log. One that exits,
for whatever reason, is started again after a back-off (doubling from --backoff up to --max-backoff, reset
once it has run for --stable seconds); what is left of its group (pool processes, gunicorn workers) is
killed first so the new one finds its port free and no orphan works on. Starts, exits and restarts are
logged to <log-dir>/supervise.log and to stderr. Only SIGINT (Ctrl-C) or SIGTERM stops everything: each
group gets SIGTERM, then SIGKILL after --grace seconds (a second Ctrl-C kills at once).

Standard library only: it runs before anything else is known to work.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

POLL_SECONDS = 0.2


@dataclass
class Child:
    name: str
    argv: list[str]
    log_path: Path
    process: subprocess.Popen | None = None
    started: float = 0.0
    failures: int = 0
    restart_at: float = 0.0


class Supervisor:
    def __init__(self, children: list[Child], *, log: IO[str], backoff: float, max_backoff: float,
                 stable: float, grace: float) -> None:
        self.children = children
        self.log_file = log
        self.backoff, self.max_backoff, self.stable, self.grace = backoff, max_backoff, stable, grace
        self.stopping = False
        self.forced = False

    def say(self, text: str) -> None:
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} supervise: {text}"
        print(line, file=sys.stderr, flush=True)
        print(line, file=self.log_file, flush=True)

    def on_signal(self, signum: int, frame: object) -> None:
        if self.stopping:
            self.forced = True
        self.stopping = True

    def start(self, child: Child) -> None:
        child.started = time.monotonic()
        with child.log_path.open("ab") as out:
            out.write(f"\n==> {time.strftime('%Y-%m-%d %H:%M:%S')} starting {child.name}\n".encode())
            out.flush()
            try:
                # A new session: Ctrl-C at the terminal reaches only the supervisor, which stops the groups.
                child.process = subprocess.Popen(child.argv, stdin=subprocess.DEVNULL, stdout=out,
                                                 stderr=subprocess.STDOUT, start_new_session=True)
            except OSError as exc:  # not there, not executable: tried again like a process that died
                child.failures += 1
                delay = self.delay(child)
                child.restart_at = child.started + delay
                self.say(f"{child.name} could not start ({exc}); trying again in {delay:.1f}s")
                return
        self.say(f"{child.name} started (pid {child.process.pid})")

    def delay(self, child: Child) -> float:
        return min(self.backoff * 2 ** max(child.failures - 1, 0), self.max_backoff)

    def reap(self, child: Child, now: float) -> None:
        assert child.process is not None
        code = child.process.returncode
        ran = now - child.started
        child.failures = 0 if ran >= self.stable else child.failures + 1
        delay = self.delay(child)
        how = f"signal {-code}" if code is not None and code < 0 else f"code {code}"
        self.say(f"{child.name} (pid {child.process.pid}) exited with {how} after {ran:.1f}s; "
                 f"restarting in {delay:.1f}s")
        signal_group(child.process.pid, signal.SIGKILL)  # its orphans: pool processes, gunicorn workers
        child.process = None
        child.restart_at = now + delay

    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self.on_signal)
        for child in self.children:
            self.start(child)
        while not self.stopping:
            now = time.monotonic()
            for child in self.children:
                if self.stopping:
                    break
                if child.process is not None:
                    if child.process.poll() is not None:
                        self.reap(child, now)
                elif now >= child.restart_at:
                    self.start(child)
            time.sleep(POLL_SECONDS)
        self.stop()
        return 0

    def stop(self) -> None:
        running = [c for c in self.children if c.process is not None and c.process.poll() is None]
        self.say("stopping " + (", ".join(c.name for c in running) or "nothing"))
        for child in running:
            signal_group(child.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        while not self.forced and time.monotonic() < deadline:
            if all(c.process.poll() is not None for c in running):
                break
            time.sleep(POLL_SECONDS)
        for child in running:
            signal_group(child.process.pid, signal.SIGKILL)  # what did not stop
            child.process.wait()
        self.say("stopped")


def signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--log-dir", type=Path, required=True)
    parser.add_argument("--backoff", type=float, default=1.0, help="first restart delay, seconds")
    parser.add_argument("--max-backoff", type=float, default=60.0)
    parser.add_argument("--stable", type=float, default=60.0, help="a run this long resets the back-off")
    parser.add_argument("--grace", type=float, default=20.0, help="seconds between SIGTERM and SIGKILL on stop")
    parser.add_argument("processes", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args(argv)
    for spec in args.processes:
        name, sep, command = spec.partition("=")
        if not sep or not name.isidentifier() or not command.strip():
            parser.error(f"expected NAME=COMMAND, got {spec!r}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    args.log_dir.mkdir(parents=True, exist_ok=True)
    children = []
    for spec in args.processes:
        name, _, command = spec.partition("=")
        children.append(Child(name=name, argv=shlex.split(command), log_path=args.log_dir / f"{name}.log"))
    with (args.log_dir / "supervise.log").open("a") as log:
        return Supervisor(children, log=log, backoff=args.backoff, max_backoff=args.max_backoff,
                          stable=args.stable, grace=args.grace).run()


if __name__ == "__main__":
    sys.exit(main())
