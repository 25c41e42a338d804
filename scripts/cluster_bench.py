"""`scripts/cluster --bench`: a 60-second spike at 256 connections on the home page and an
article, through nginx with its cache and then without it, on a cluster of its own.

Reports requests/s, p50/p99, errors and how many requests reached Django (the app servers'
access log lines) for each, and writes bench-results/cluster-<time>.{txt,json}.
"""

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench_lib import ensure_wrk, fetch, wrk  # noqa: E402
from scripts.cluster_lib import ROOT, Cluster  # noqa: E402

PAGES = ("/", "/news/story-0/")


def spike(cluster, base, label, seconds, connections, workdir, offset=0):
    for path in PAGES:  # the edge holds both before the spike, as a CDN would
        status, _body, _headers = fetch(base + path)
        assert status == 200, (base + path, status)
    # Half an s-maxage later: the cached pages expire in the middle of the spike.
    time.sleep(offset)
    before = cluster.django_requests()
    paths = workdir / "paths.txt"
    paths.write_text("\n".join(PAGES) + "\n")
    result = wrk(
        base, "/", seconds=seconds, connections=connections, paths_file=paths, workdir=workdir
    )
    time.sleep(1.5)  # the access logs' last lines
    reached = cluster.django_requests() - before
    result.update(
        label=label,
        pages=list(PAGES),
        reached_django=reached,
        reached_django_share=round(reached / max(1, result["requests"]), 5),
    )
    return result


def line(result):
    return (
        f"{result['label']:<28} {result['rps']:>8,.0f} req/s  p50 {result['p50_ms']:>7.2f} ms  "
        f"p99 {result['p99_ms']:>8.2f} ms  errors {result['errors']:>4}  "
        f"reached Django {result['reached_django']:>8,} of {result['requests']:,} "
        f"({100 * result['reached_django_share']:.3f}%)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--base-port", type=int, default=8150)
    parser.add_argument("--note", default="", help="what else ran on the machine meanwhile")
    options = parser.parse_args()
    ensure_wrk()
    workdir = ROOT / "var" / "cluster-bench"
    with Cluster(options.base_port, workdir) as cluster:
        cluster.manage(
            "shell", "-c", f"from scripts.bench_lib import seed; seed({options.articles})"
        )
        load_before = os.getloadavg()
        results = [
            spike(cluster, cluster.edge, "nginx cache on", options.seconds,
                  options.connections, workdir, offset=30),
            spike(cluster, cluster.edge_nocache, "nginx cache off (Django's)",
                  options.seconds, options.connections, workdir),
        ]  # fmt: skip
        load_after = os.getloadavg()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {
        "when": stamp,
        "cores": len(os.sched_getaffinity(0)),
        "load_average_before_after": [load_before, load_after],
        "note": options.note,
        "setup": (
            f"{options.articles} articles on PostgreSQL; 2 gunicorn app servers x "
            f"{cluster.workers} sync workers (production settings, Redis page cache), nginx "
            f"(deploy/nginx.conf), moto, PostgreSQL, Redis and wrk (2 threads) on one machine"
        ),
        "results": results,
    }
    text = "\n".join(
        [
            f"Cluster edge benchmark {stamp}: {options.seconds} s at {options.connections} "
            f"connections on {' and '.join(PAGES)} (in random turn); with the cache, the "
            "spike starts 30 s after the pages were cached, so their 60 s s-maxage ends "
            "halfway through it",
            report["setup"],
            f"cores: {report['cores']}; load average before {load_before[0]:.1f}, "
            f"after {load_after[0]:.1f}" + (f"; {options.note}" if options.note else ""),
            "",
            *[line(result) for result in results],
            "",
            "Reached Django: lines in the app servers' access logs during the run; they include "
            "the requests in flight when wrk stopped (up to one per connection), which wrk does "
            "not count, so with the cache off the share can pass 100%.",
            "",
        ]
    )
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"cluster-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / f"cluster-{stamp}.txt").write_text(text)
    print(text)
    print(f"written: bench-results/cluster-{stamp}.txt and .json")


if __name__ == "__main__":
    main()
