"""The benchmark: seed, serve with the production configuration, load with wrk, report.

Run it with `scripts/bench` (or `scripts/bench --quick`); see docs/deploy.md.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench_lib import ROOT, ensure_wrk, fetch, seed, wrk  # noqa: E402

TARGETS = {
    "warm_ratio": 0.85,
    "cold_article_ratio": 0.12,
    "cold_home_ratio": 0.08,
    "p99_ms_64": 100,
    "worker_rss_mb": 120,
}
SEARCH_CANDIDATES = ["/search/?q=harbour"]
FEED_CANDIDATES = ["/feeds/rss/"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs, for a smoke test")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--port", type=int, default=8108)
    parser.add_argument("--seconds", type=int, help="length of each 16-connection run")
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of SQLite")
    parser.add_argument("--redis-url", default="", help="Redis instead of local memory")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: from the cores)")
    return parser.parse_args()


def configure(args):
    var = ROOT / "var" / ("bench-pg" if args.database_url else "bench")
    var.mkdir(parents=True, exist_ok=True)
    env = {
        "NEWSROOM_VAR_DIR": str(var),
        # Production settings (cached templates, manifest static files, security
        # headers) without the HTTPS redirect: the benchmark talks plain HTTP locally.
        "DJANGO_ENV": "production",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_ACCESS_LOG": "",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    for name in ("DATABASE_URL", "REDIS_URL", "PAGE_CACHE", "DEBUG"):
        os.environ.pop(name, None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    os.environ.update(env)
    return var


class Server:
    """gunicorn with newsroom/gunicorn.conf.py, started and stopped by this script only."""

    def __init__(self, port, log, **env):
        self.base = f"http://127.0.0.1:{port}"
        self.env = {**os.environ, **env}
        self.log = log
        self.process = None

    def __enter__(self):
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(self.base + "/", timeout=2)[0] == 200:
                    time.sleep(0.5)
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not start; see " + self.log.name)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def memory(self):
        """Resident and peak memory of each worker, in MB."""
        result = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
            peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
            result.append({"pid": pid, "rss_mb": round(rss, 1), "peak_mb": round(peak, 1)})
        return result


def first_available(base, candidates):
    for path in candidates:
        if fetch(base + path)[0] == 200:
            return path
    return None


def pages_to_test():
    from django.db.models import Count
    from taggit.models import Tag

    from articles.models import Article, Author

    published = Article.objects.published()
    article = published.select_related("section").first()
    tag = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).order_by("-n").first()
    author = Author.objects.annotate(n=Count("bylines")).order_by("-n").first()
    spread = [
        f"/{section}/{slug}/"
        for section, slug in published.values_list("section__slug", "slug").order_by("?")[:3000]
    ]
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "tag": f"/tag/{tag.slug}/",
        "author": author.get_absolute_url(),
    }, spread


def editor_during_load(server, seconds, workdir, page):
    """An editor saves the front-page article every second while wrk loads `page`.

    After each commit the next request must show the change, on the home page and
    on the article itself.
    """
    from articles.models import Article

    result = {}

    def load():
        result["load"] = wrk(server.base, page, seconds=seconds, connections=16, workdir=workdir)

    loader = threading.Thread(target=load)
    loader.start()
    saves, stale, failures = 0, [], []
    article = Article.objects.published().select_related("section").first()
    started = time.monotonic()
    while time.monotonic() - started < seconds - 1.5:
        tick = time.monotonic()
        try:
            article.headline = f"Bench edit {saves} {random.randint(0, 10**9)}"
            article.save(update_fields=["headline", "modified"])
            saves += 1
            for url in ("/", article.get_absolute_url()):
                status, body, _headers = fetch(server.base + url)
                if status != 200 or article.headline.encode() not in body:
                    stale.append({"save": saves, "url": url, "status": status})
        except Exception as error:  # every failure is a result to report
            failures.append(repr(error))
        time.sleep(max(0, 1 - (time.monotonic() - tick)))
    loader.join()
    return {
        "saves": saves,
        "not_visible_on_next_request": stale,
        "editor_errors": failures,
        "reader_load": result["load"],
    }


def journalists_during_load(server, seconds, workdir, page, *, journalists=5):
    """Five journalists each save a draft every second (content, tags, a revision: what the
    admin's save writes) while wrk loads `page`. Drafts are invisible to readers, so the
    warm page must stay warm: the content version must not move."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from articles.models import Article, ArticleRevision, Section

    try:
        from publishing.version import content_version
    except ImportError:  # the code before the publishing app, for "before" figures
        from newsroom.page_cache import content_version

    section = Section.objects.first()
    writers = []
    for n in range(journalists):
        user, _ = get_user_model().objects.get_or_create(
            username=f"bench-journalist-{n}", defaults={"is_staff": True}
        )
        draft, _ = Article.objects.get_or_create(
            slug=f"bench-draft-{n}",
            defaults={
                "headline": "Draft",
                "lead": "Lead.",
                "body": "Body.",
                "section": section,
                "created_by": user,
            },
        )
        writers.append((user, draft))
    result, saves, failures = {}, [], []
    stop = threading.Event()

    def load():
        result["load"] = wrk(server.base, page, seconds=seconds, connections=16, workdir=workdir)

    def write(user, draft):
        try:
            while not stop.is_set():
                tick = time.monotonic()
                try:
                    draft.body = f"Paragraph {random.randint(0, 10**9)}.\n\n## Subheading\n\nMore."
                    draft.save()
                    draft.tags.set([f"bench-draft-tag-{random.randint(0, 3)}"])
                    ArticleRevision.objects.record(article=draft, user=user)
                    saves.append(1)
                except Exception as error:  # every failure is a result to report
                    failures.append(repr(error))
                stop.wait(max(0, 1 - (time.monotonic() - tick)))
        finally:
            connection.close()

    version_before = content_version()
    threads = [threading.Thread(target=write, args=writer) for writer in writers]
    loader = threading.Thread(target=load)
    loader.start()
    for thread in threads:
        thread.start()
    loader.join()
    stop.set()
    for thread in threads:
        thread.join()
    return {
        "journalists": journalists,
        "saves": len(saves),
        "errors": failures,
        "content_version_moved": content_version() != version_before,
        "reader_load": result["load"],
    }


def static_headers(base):
    status, body, _headers = fetch(base + "/")
    found = re.search(rb'href="(/static/[^"]+\.css)"', body)
    if not found:
        return {}
    status, _body, headers = fetch(base + found.group(1).decode())
    return {
        "url": found.group(1).decode(),
        "status": status,
        **{name: headers.get(name) for name in ("Cache-Control", "Content-Type", "ETag")},
    }


def main():
    args = parse_args()
    var = configure(args)
    quick = args.quick
    seconds = args.seconds or (3 if quick else 10)
    long_seconds = 10 if quick else 60
    warmup = 1 if quick else 2
    ensure_wrk()

    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed(args.articles)
    results_dir = ROOT / "bench-results"
    results_dir.mkdir(exist_ok=True)
    workdir = var / "bench-work"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "bench.lua").unlink(missing_ok=True)
    pages, spread = pages_to_test()
    spread_file = workdir / "article-paths.txt"
    spread_file.write_text("\n".join(spread) + "\n")
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - kept open for both servers

    report = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["scripts/bench", *sys.argv[1:]]),
        "machine": {"cores": os.cpu_count(), "load_before": os.getloadavg()},
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "articles": args.articles,
        "seconds_per_run": seconds,
        "cold": {},
        "uncached": {},
        "warm": {},
    }

    def run(group, name, path, connections=16, length=seconds, paths_file=None):
        wrk(
            server.base,
            path,
            seconds=warmup,
            connections=connections,
            workdir=workdir,
            paths_file=paths_file,
        )
        outcome = wrk(
            server.base,
            path,
            seconds=length,
            connections=connections,
            workdir=workdir,
            paths_file=paths_file,
        )
        report[group][name] = outcome
        print(
            f"  {group:5} {name:14} {outcome['rps']:8.0f} req/s  p50 {outcome['p50_ms']:6.1f} ms"
            f"  p99 {outcome['p99_ms']:6.1f} ms  errors {outcome['errors']}",
            flush=True,
        )

    print(
        f"cold: page cache off, fragment caches on, {settings.DATABASES['default']['ENGINE']}",
        flush=True,
    )
    # The ceiling: the same bytes as the article page, as a static file through the same
    # stack. Written before the servers start (WhiteNoise indexes files at startup), and
    # measured in each phase: the machine is shared and its speed drifts, so each page is
    # compared with a ceiling measured minutes, not a phase, away.
    from django.test import Client

    article_html = Client(HTTP_HOST=f"127.0.0.1:{args.port}").get(pages["article"]).content
    ceiling = Path(settings.STATIC_ROOT) / "bench-ceiling.html"
    ceiling.write_bytes(article_html)
    ceiling_path = "/static/bench-ceiling.html"

    with Server(args.port, log, PAGE_CACHE="0") as server:
        report["workers"] = len(server.workers())
        run("cold", "ceiling", ceiling_path)
        extra = {
            "search": first_available(server.base, SEARCH_CANDIDATES),
            "feed": first_available(server.base, FEED_CANDIDATES),
        }
        report["unavailable"] = [name for name, path in extra.items() if path is None]
        pages.update({name: path for name, path in extra.items() if path})
        run("cold", "home", pages["home"])
        run("cold", "article", "/", paths_file=spread_file)
        report["cold"]["article"]["path"] = f"{len(spread)} different articles"
        for name in ("section", "tag", "author", "search", "feed"):
            if name in pages:
                run("cold", name, pages[name])
        run("cold", "ceiling_after", ceiling_path)
        report["memory_cold"] = server.memory()

    # For comparison, not a target: no cache at all, fragments included.
    print("uncached: page cache and fragment caches off", flush=True)
    with Server(args.port, log, PAGE_CACHE="0", FRAGMENT_CACHE="0") as server:
        run("uncached", "home", pages["home"])
        run("uncached", "article", "/", paths_file=spread_file)

    print("warm: page cache on", flush=True)
    with Server(args.port, log, PAGE_CACHE="1") as server:
        run("warm", "ceiling", ceiling_path)
        for name, path in pages.items():
            run("warm", name, path)
        # Measured again after the pages: on a shared machine the load drifts, so the
        # ceiling is the mean of a run before and a run after.
        run("warm", "ceiling_after", ceiling_path)
        run("warm", "article_c64", pages["article"], connections=64, length=long_seconds)
        run("warm", "home_c64", pages["home"], connections=64, length=long_seconds)
        print("five journalists saving drafts every second during warm loads", flush=True)
        report["journalists"] = {
            name: journalists_during_load(server, seconds, workdir, pages[name])
            for name in ("home", "article")
        }
        print("editor saving every second during a warm home load", flush=True)
        report["editor"] = editor_during_load(server, max(seconds, 10), workdir, pages["home"])
        report["static_asset"] = static_headers(server.base)
        report["memory_warm"] = server.memory()
    log.close()
    report["machine"]["load_after"] = os.getloadavg()
    summarise(report)

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = render(report)
    (results_dir / f"bench-{stamp}.json").write_text(json.dumps(report, indent=2))
    (results_dir / f"bench-{stamp}.txt").write_text(text)
    (results_dir / "latest.json").write_text(json.dumps(report, indent=2))
    (results_dir / "latest.txt").write_text(text)
    print()
    print(text)
    print(f"results: bench-results/bench-{stamp}.json and .txt")


def summarise(report):
    def ceiling_of(group):
        return (report[group]["ceiling"]["rps"] + report[group]["ceiling_after"]["rps"]) / 2

    report["ceiling_rps"] = round(ceiling_of("warm"), 1)
    report["cold_ceiling_rps"] = round(ceiling_of("cold"), 1)
    # Cold and uncached pages against the ceiling measured around the cold runs.
    for group, ceiling in (("cold", "cold"), ("uncached", "cold"), ("warm", "warm")):
        for outcome in report[group].values():
            outcome["ratio_to_ceiling"] = round(outcome["rps"] / ceiling_of(ceiling), 3)
    warm, cold = report["warm"], report["cold"]
    memory = report["memory_cold"] + report["memory_warm"]
    editor = report["editor"]
    checks = {
        "warm article >= 85% of ceiling": warm["article"]["ratio_to_ceiling"]
        >= TARGETS["warm_ratio"],
        "warm home >= 85% of ceiling": warm["home"]["ratio_to_ceiling"] >= TARGETS["warm_ratio"],
        "cold article >= 12% of ceiling": cold["article"]["ratio_to_ceiling"]
        >= TARGETS["cold_article_ratio"],
        "cold home >= 8% of ceiling": cold["home"]["ratio_to_ceiling"]
        >= TARGETS["cold_home_ratio"],
        "p99 < 100 ms at 64 connections": max(
            warm["article_c64"]["p99_ms"], warm["home_c64"]["p99_ms"]
        )
        < TARGETS["p99_ms_64"],
        "0 errors": all(
            o["errors"] == 0 for g in ("cold", "uncached", "warm") for o in report[g].values()
        )
        and editor["reader_load"]["errors"] == 0
        and all(run["reader_load"]["errors"] == 0 for run in report["journalists"].values()),
        "worker RSS < 120 MB": max(m["rss_mb"] for m in memory) < TARGETS["worker_rss_mb"],
        "editor: no errors, change visible on next request": not editor["editor_errors"]
        and not editor["not_visible_on_next_request"]
        and editor["saves"] > 0,
    }
    for name, run in report["journalists"].items():
        ratio = run["reader_load"]["rps"] / ceiling_of("warm")
        run["reader_load"]["ratio_to_ceiling"] = round(ratio, 3)
        run["ratio_to_quiet_run"] = round(run["reader_load"]["rps"] / warm[name]["rps"], 3)
        checks[f"warm {name} with 5 journalists saving drafts >= 85% of ceiling"] = (
            ratio >= TARGETS["warm_ratio"]
        )
        checks[f"warm {name} with 5 journalists no more than 10% below without them"] = (
            run["ratio_to_quiet_run"] >= 0.9
        )
        checks[f"warm {name} with 5 journalists: drafts never moved the content version"] = (
            not run["content_version_moved"] and not run["errors"] and run["saves"] > 0
        )
    report["targets"] = checks


def render(report):
    lines = [
        f"newsroom benchmark {report['started']}  ({report['command']})",
        f"{report['articles']} articles, {report['database']}, {report['cache']}, "
        f"{report['workers']} gunicorn sync workers, {report['machine']['cores']} cores "
        f"(load before {report['machine']['load_before'][0]:.1f}, after "
        f"{report['machine']['load_after'][0]:.1f}: shared machine, figures are noisy)",
        f"ceiling (static file, mean of before and after): {report['cold_ceiling_rps']:.0f} req/s "
        f"around the cold runs, {report['ceiling_rps']:.0f} around the warm ones; each group's "
        "ratios use the ceiling of its own phase (uncached: the cold one)",
        "",
        f"{'run':22} {'conns':>5} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}"
        f" {'ratio':>6} {'bytes':>7}",
    ]
    for group in ("warm", "cold", "uncached"):
        for name, o in report[group].items():
            lines.append(
                f"{group + ' ' + name:22} {o['connections']:5} {o['rps']:8.0f} {o['p50_ms']:7.1f}"
                f" {o['p99_ms']:7.1f} {o['errors']:6} {o['ratio_to_ceiling']:6.0%}"
                f" {o['bytes_per_request']:7}"
            )
    if report["unavailable"]:
        lines.append(f"not on this branch (404): {', '.join(report['unavailable'])}")
    editor = report["editor"]
    lines.append("")
    for name, run in report["journalists"].items():
        load = run["reader_load"]
        lines.append(
            f"warm {name} with {run['journalists']} journalists saving drafts every second: "
            f"{load['rps']:.0f} req/s ({load['ratio_to_ceiling']:.0%} of ceiling, "
            f"{run['ratio_to_quiet_run']:.0%} of the run without them), p50 {load['p50_ms']:.1f} ms,"
            f" p99 {load['p99_ms']:.1f} ms, reader errors {load['errors']}; {run['saves']} saves, "
            f"{len(run['errors'])} save errors, content version moved: {run['content_version_moved']}"
        )
    lines += [
        f"editor: {editor['saves']} saves during a {editor['reader_load']['seconds']} s warm home "
        f"load at {editor['reader_load']['rps']:.0f} req/s; reader errors "
        f"{editor['reader_load']['errors']}, editor errors {len(editor['editor_errors'])}, "
        f"change not visible on next request {len(editor['not_visible_on_next_request'])}",
        "worker memory (MB, rss/peak): "
        + ", ".join(f"{m['rss_mb']}/{m['peak_mb']}" for m in report["memory_warm"])
        + "  cold: "
        + ", ".join(f"{m['rss_mb']}/{m['peak_mb']}" for m in report["memory_cold"]),
        f"static asset: {report['static_asset'].get('url')} "
        f"Cache-Control: {report['static_asset'].get('Cache-Control')}",
        "",
        "targets:",
    ]
    lines += [f"  {'PASS' if ok else 'FAIL'}  {name}" for name, ok in report["targets"].items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
