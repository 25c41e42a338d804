"""`scripts/cluster`: start the cluster, keep it running, stop it cleanly.

The foreground process supervises: it runs `withdraw_expired_photos` every minute (the
timer docs/deploy.md asks for), reports a service that dies, and stops everything on
Ctrl-C, SIGTERM or `scripts/cluster stop` (which signals it through its pid file).
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.cluster_lib import ROOT, Cluster, ClusterError  # noqa: E402

PID_FILE = ROOT / "var" / "cluster" / "supervisor.pid"


def stop_running():
    try:
        pid = int(PID_FILE.read_text())
    except (FileNotFoundError, ValueError):
        print("No cluster is running (no var/cluster/supervisor.pid).")
        return 0
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        PID_FILE.unlink(missing_ok=True)
        print("The cluster had already stopped.")
        return 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print("Cluster stopped.")
            return 0
        time.sleep(0.2)
    print(f"The cluster (pid {pid}) is still stopping.", file=sys.stderr)
    return 1


class Stop(Exception):
    pass


def _stop_signal(signum, frame):
    raise Stop


def run(base_port, demo):
    cluster = Cluster(base_port)
    PID_FILE.parent.mkdir(parents=True, exist_ok=True)
    if PID_FILE.exists():
        print(f"{PID_FILE} exists: is a cluster running? `scripts/cluster stop` first.")
        return 1
    PID_FILE.write_text(str(os.getpid()))
    signal.signal(signal.SIGTERM, _stop_signal)
    # Also when started in the background, where the shell leaves SIGINT ignored.
    signal.signal(signal.SIGINT, _stop_signal)
    try:
        cluster.start(demo=demo)
        ports = cluster.ports
        print(
            f"""
Cluster up (logs in {cluster.logs}):
  readers, through nginx's cache   {cluster.edge}/
  the same without the cache       {cluster.edge_nocache}/
  app servers                      {cluster.app("a")}/  {cluster.app("b")}/
  object store (moto, S3 API)      {cluster.s3}/{"newsroom-media"}/
  PostgreSQL                       {cluster.database_url}
  Redis                            redis://127.0.0.1:{ports.redis}/0
Staff logins: {cluster.dir / "app" / "demo-logins.txt"} (sign in at {cluster.edge}/admin/)
Ctrl-C or `scripts/cluster stop` stops it.""",
            flush=True,
        )
        next_withdrawal = time.monotonic()
        while True:
            if time.monotonic() >= next_withdrawal:
                cluster.manage("withdraw_expired_photos", check=False)
                next_withdrawal += 60
            dead = [name for name, service in cluster.services.items() if not service.running]
            if dead:
                print(f"cluster: {', '.join(dead)} stopped by itself; see {cluster.logs}")
                return 1
            time.sleep(1)
    except (KeyboardInterrupt, Stop):
        print("\ncluster: stopping")
        return 0
    except ClusterError as error:
        print(f"cluster: {error}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        cluster.stop()
        PID_FILE.unlink(missing_ok=True)
        print("cluster: stopped")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["start", "stop"], default="start")
    parser.add_argument("--base-port", type=int, default=8110, help="first of 7 ports (8110)")
    parser.add_argument("--no-demo", action="store_true", help="start without demo content")
    options = parser.parse_args()
    if options.command == "stop":
        return stop_running()
    return run(options.base_port, demo=not options.no_demo)


if __name__ == "__main__":
    sys.exit(main())
