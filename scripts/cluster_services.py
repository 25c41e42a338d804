"""The processes of scripts/cluster: ports, one supervised process, the programs' paths."""

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from glob import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Ports:
    """Seven consecutive ports from `base`."""

    base: int

    @property
    def edge(self):
        return self.base

    @property
    def edge_nocache(self):
        return self.base + 1

    @property
    def apps(self):
        return {"a": self.base + 2, "b": self.base + 3}

    @property
    def s3(self):
        return self.base + 4

    @property
    def postgres(self):
        return self.base + 5

    @property
    def redis(self):
        return self.base + 6

    def all(self):
        return [self.base + offset for offset in range(7)]


class ClusterError(RuntimeError):
    pass


def port_open(port, host="127.0.0.1"):
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def wait_for(check, what, timeout=60.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise ClusterError(f"{what} did not come up within {timeout:.0f} s")


def http_status(url, timeout=5.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def postgres_binary(name):
    """Debian keeps the server's programs out of PATH: /usr/lib/postgresql/<major>/bin."""
    found = shutil.which(name)
    candidates = sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3])
    )
    if candidates:
        return candidates[-1]
    if found:
        return found
    raise ClusterError(f"PostgreSQL's {name} not found (Debian: apt-get install postgresql)")


def missing_prerequisites():
    """What this machine lacks to run the cluster (empty when it can)."""
    missing = []
    for program in ("nginx", "redis-server"):
        if not shutil.which(program) and not Path(f"/usr/sbin/{program}").exists():
            missing.append(program)
    try:
        postgres_binary("initdb")
    except ClusterError:
        missing.append("PostgreSQL server (initdb)")
    try:
        import moto.server  # noqa: F401
    except ImportError:
        missing.append("moto[server] (pip install -r requirements-dev.txt)")
    return missing


def nginx_binary():
    return shutil.which("nginx") or "/usr/sbin/nginx"


class Service:
    """One process (and its children) in a process group of its own, logging to a file."""

    def __init__(self, name, command, *, log, env=None, cwd=ROOT, user=None, stop_signal=None):
        self.name, self.command, self.log, self.env, self.cwd = name, command, log, env, cwd
        self.user = user
        self.stop_signal = stop_signal or signal.SIGTERM
        self.process = None

    def start(self):
        log = open(self.log, "ab")  # noqa: SIM115 (the child keeps it)
        extra = {}
        if self.user is not None:
            extra = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        self.process = subprocess.Popen(
            self.command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,
            **extra,
        )
        log.close()
        return self

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def _signal(self, signum):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def stop(self, timeout=20.0):
        if self.process is None:
            return
        if self.running:
            self._signal(self.stop_signal)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.process.wait()
        self._signal(signal.SIGKILL)  # children left behind by the group leader
        self.process = None

    def kill(self):
        """SIGKILL to the whole group, as a crashed host would: no graceful anything."""
        if self.process is not None:
            self._signal(signal.SIGKILL)
            self.process.wait()
            self.process = None


def unprivileged_user():
    """PostgreSQL refuses to run as root: as root, run it as `postgres` (or `nobody`)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise ClusterError("running as root, and no unprivileged user for PostgreSQL")
