"""Faults in the cluster: an app server killed under load, Redis stopped, PostgreSQL
restarted. Readers keep getting pages; nothing is restarted by hand to recover."""

import os
import secrets
import threading
import time

import pytest

from .client import get, wait_until

pytestmark = pytest.mark.cluster


def load(url_for, seconds, threads=8):
    """`threads` readers, each sending its next request as soon as the last one answered;
    returns [(sent, status or the error)]."""
    results, stop_at = [], time.monotonic() + seconds

    def reader(n):
        count = 0
        while time.monotonic() < stop_at:
            count += 1
            sent = time.monotonic()
            try:
                status = get(url_for(n, count), timeout=15).status
            except Exception as error:  # refused, reset, cut short: each one a failed request
                status = repr(error)
            results.append((sent, status))

    workers = [threading.Thread(target=reader, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    return workers, results


def test_app_server_killed_under_load_costs_no_request(cluster):
    # Distinct queries, so the edge cache misses and every request reaches an app server.
    tag = secrets.token_hex(3)
    workers, results = load(lambda n, count: f"{cluster.edge}/?load={tag}-{n}-{count}", 6)
    time.sleep(2)
    served_before = len(results)
    cluster.kill_app("a")  # SIGKILL to its master and workers, mid-request
    for worker in workers:
        worker.join()
    try:
        failed = [(sent, status) for sent, status in results if status != 200]
        assert served_before > 20 and len(results) > served_before + 20
        assert failed == []  # the requests in flight on A were retried on B by nginx
    finally:
        cluster.start_app("a")


def test_pages_are_served_while_redis_is_stopped(cluster):
    cluster.stop_redis()
    try:
        for base in (cluster.app("a"), cluster.app("b"), cluster.edge_nocache):
            for path in ("/", "/news/", f"/search/?q=harbour{secrets.token_hex(2)}"):
                started = time.monotonic()
                assert get(base + path).status == 200, base + path
                assert time.monotonic() - started < 5  # no waiting on the dead cache
    finally:
        cluster.start_redis()
    wait_until(lambda: get(cluster.app("a") + "/").status == 200, timeout=10)


def test_apps_recover_from_a_postgresql_restart_without_restarting(cluster):
    pids = {name: cluster.services[f"app-{name}"].process.pid for name in ("a", "b")}
    cluster.restart_postgres()

    def uncached_page_served(name):
        # A fresh search reads the database (no cache holds it), as every worker must again.
        return all(
            get(f"{cluster.app(name)}/search/?q=tide{secrets.token_hex(3)}").status == 200
            for _ in range(4)
        )

    for name in ("a", "b"):
        wait_until(lambda name=name: uncached_page_served(name), timeout=15)
        assert cluster.services[f"app-{name}"].process.pid == pids[name]
        os.kill(pids[name], 0)  # the same master, still running
