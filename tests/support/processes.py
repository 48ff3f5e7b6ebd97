"""Start `kx` commands as real processes for tests, and stop them however the test ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

KX = str(Path(sys.executable).with_name("kx"))


class Processes:
    def __init__(self, env: dict[str, str], log_dir: Path):
        self.env = {**os.environ, **env}
        self.log_dir = log_dir
        self.running: list[subprocess.Popen] = []

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([KX, *args], env=self.env, capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str) -> subprocess.Popen:
        log = open(self.log_dir / f"{'-'.join(args)}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen([KX, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.running.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def http(method: str, url: str, token: str | None = None, body: bytes | None = None, timeout: float = 5,
         headers: dict[str, str] | None = None):
    """(status, body) of one request; connection errors answer status 0."""
    request = urllib.request.Request(url, method=method, data=body, headers=headers or {})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def wait_for_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if http("GET", url)[0] == 200:
            return
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer 200 within {timeout}s")
