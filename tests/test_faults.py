"""Faults: the database unreachable, Redis down, SQLite locked.

What readers and editors get: no 500 where a 503 belongs, nothing saved is lost, and
the site recovers by itself when the fault ends. The outages are real: PostgreSQL is
cut behind a TCP proxy (the shared server itself is never stopped), SQLite is pointed
at a file it cannot open, and the SQLite lock is held by another connection.
"""

import contextlib
import math
import re
import socket
import sqlite3
import threading
import time
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connection, connections
from django.test import override_settings

from articles.models import Article, Section
from legal.models import Crawler
from publishing import version

from .admin_forms import form_data_from_response
from .factories import ArticleFactory, CrawlerFactory, NoticeFactory, SectionFactory, UserFactory

# Transactional: pages are cached and rows committed as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]

POSTGRESQL = connection.vendor == "postgresql"
SQLITE = connection.vendor == "sqlite"


# --- requests the way a WSGI server makes them ------------------------------------------


class Response:
    def __init__(self, status, headers, body):
        self.status_code = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.text = body.decode(errors="replace")  # images too

    def __getitem__(self, name):
        return self.headers[name.lower()]


def serve(application, path):
    """One GET through the real WSGI handler. Unlike the test client it sends
    request_started/request_finished, so Django's connection housekeeping runs as
    under gunicorn: that housekeeping is what recovery depends on."""
    path, _, query = path.partition("?")
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    environ["SERVER_NAME"] = "testserver"
    started = []
    result = application(environ, lambda *status_and_headers: started.append(status_and_headers))
    try:
        body = b"".join(result)
    finally:
        result.close()  # sends request_finished, as a WSGI server does
    status, headers = started[0][:2]
    return Response(status, headers, body)


@pytest.fixture
def site(settings):
    # WhiteNoise serves straight from the static folders (no collectstatic in tests).
    settings.WHITENOISE_USE_FINDERS = True
    return WSGIHandler()


# --- cutting the database ------------------------------------------------------------------


class TcpProxy:
    """A TCP relay to PostgreSQL that a test can cut (every connection dropped, new ones
    refused, as when the server restarts) and restore."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.open = True
        self.sockets = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.open:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self):
        self.up = False
        with self.lock:
            for end in self.sockets:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.sockets.clear()

    def restore(self):
        self.up = True

    def close(self):
        self.cut()
        self.open = False
        self.listener.close()


class PostgresOutage:
    def __init__(self):
        self.settings = connection.settings_dict
        self.saved = {key: self.settings[key] for key in ("HOST", "PORT")}
        self.proxy = TcpProxy((self.saved["HOST"] or "127.0.0.1", int(self.saved["PORT"] or 5432)))
        connections.close_all()
        # Every thread's connection reads this same dict: all of them go through the proxy.
        self.settings.update(HOST="127.0.0.1", PORT=str(self.proxy.port))

    def cut(self):
        self.proxy.cut()

    def restore(self):
        self.proxy.restore()

    def finish(self):
        self.proxy.restore()
        connections.close_all()
        self.settings.update(self.saved)
        self.proxy.close()


class SqliteOutage:
    """SQLite "unreachable": the database file cannot be opened. The test database lives
    in memory and dies with its last connection, so that connection is set aside."""

    def __init__(self, tmp_path):
        self.settings = connection.settings_dict
        self.name = self.settings["NAME"]
        self.unreachable = str(tmp_path / "unmounted-volume" / "newsroom.sqlite3")
        self.kept = None

    def cut(self):
        self.kept = connection.connection
        connection.connection = None
        self.settings["NAME"] = self.unreachable

    def restore(self):
        connection.close()
        self.settings["NAME"] = self.name
        connection.connection = self.kept

    def finish(self):
        if self.settings["NAME"] != self.name:
            self.restore()


@pytest.fixture
def database(tmp_path):
    connection.ensure_connection()
    outage = PostgresOutage() if POSTGRESQL else SqliteOutage(tmp_path)
    yield outage
    outage.finish()


def assert_service_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.text
    assert "temporarily unavailable" in html
    assert '<a class="site-title" href="/">' in html  # the site's design
    assert "/static/css/site.css" in html


# --- the database unreachable -----------------------------------------------------------------


def test_database_outage_serves_static_files_and_cached_pages_and_503_elsewhere(site, database):
    section = SectionFactory(name="Harbour", slug="harbour")
    article = ArticleFactory(headline="Harbour reopens", section=section)
    cached = serve(site, article.get_absolute_url())
    assert cached.status_code == 200

    database.cut()
    assert serve(site, "/static/css/site.css").status_code == 200
    again = serve(site, article.get_absolute_url())
    assert again.status_code == 200
    assert again.text == cached.text
    # A worker that has not yet asked the database when pages next change serves it too.
    version._state = (None, math.inf)
    assert serve(site, article.get_absolute_url()).text == cached.text
    for url in [section.get_absolute_url(), "/search/?q=harbour", "/archive/"]:
        assert_service_unavailable(serve(site, url))
    # Never stored: the same page, asked again, is still the outage page only while it lasts.
    assert_service_unavailable(serve(site, section.get_absolute_url()))

    database.restore()
    back = serve(site, section.get_absolute_url())
    assert back.status_code == 200
    assert "Harbour reopens" in back.text


def test_database_outage_keeps_the_photos_of_cached_pages(site, database):
    """A cached page is only whole with its pictures: renditions are judged from their
    names (the rights' end is in them), not from the database."""
    from .factories import PhotoFactory

    article = ArticleFactory(lead_photo=PhotoFactory())
    page = serve(site, article.get_absolute_url())
    renditions = sorted(set(re.findall(r'/uploads/renditions/[^" ,]+', page.text)))
    assert renditions
    assert all(serve(site, url).status_code == 200 for url in renditions)

    database.cut()
    assert serve(site, article.get_absolute_url()).status_code == 200
    for url in renditions:
        assert serve(site, url).status_code == 200, url
    database.restore()


def test_database_outage_keeps_crawler_files_and_reserves_mining(site, database, settings):
    # The reservation is lifted (no copyright notice reserves): during the outage nothing
    # can say so, and the safe answer for a publisher is "reserved".
    NoticeFactory(reserves_tdm=False)
    assert serve(site, "/.well-known/tdmrep.json").text.count('"tdm-reservation": 0') == 1

    database.cut()
    # Nothing cached in any process: a worker started during the outage.
    from django.core.cache import caches

    from legal import robots, state, tdm

    caches["default"].clear()
    state._local = (None, None)
    tdm._last = (None, None)
    robots.forget_last_served()

    rules = serve(site, "/.well-known/tdmrep.json")
    assert rules.status_code == 200
    policy = f"{settings.SITE_URL}/legal/tdm-policy.json"
    assert '"tdm-reservation": 1' in rules.text and policy in rules.text
    assert rules["tdm-reservation"] == "1" and rules["tdm-policy"] == policy

    robots_txt = serve(site, "/robots.txt")
    assert robots_txt.status_code == 200
    assert re.search(r"User-agent: GPTBot\n(User-agent: .*\n)*Disallow: /\n", robots_txt.text)
    assert "User-agent: ClaudeBot" in robots_txt.text
    assert "User-agent: Googlebot" in robots_txt.text  # search engines stay welcome

    page = serve(site, "/archive/")
    assert page.status_code == 503
    assert page["tdm-reservation"] == "1"
    assert '<meta name="tdm-reservation" content="1">' in page.text


def test_robots_txt_keeps_the_crawlers_it_last_named_during_an_outage(site, database):
    CrawlerFactory(token="HarbourScraper", purpose=Crawler.Purpose.TRAINING)
    NoticeFactory()
    with override_settings(PAGE_CACHE_ENABLED=False):
        before = serve(site, "/robots.txt").text
    assert "User-agent: HarbourScraper" in before

    database.cut()
    from django.core.cache import caches

    caches["default"].clear()
    during = serve(site, "/robots.txt")
    assert during.status_code == 200
    assert during.text == before


def test_admin_answers_503_during_an_outage(client, database):
    client.force_login(UserFactory(is_superuser=True))
    database.cut()
    client.raise_request_exception = False
    response = client.get("/admin/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    database.restore()
    # What request_finished does under a WSGI server; the test client leaves it out.
    close_old_connections()
    assert client.get("/admin/").status_code == 200


@pytest.mark.skipif(not POSTGRESQL, reason="a server restart is a PostgreSQL event")
def test_site_recovers_when_postgresql_restarts_under_load(site, database):
    section = SectionFactory(name="Harbour", slug="harbour")
    ArticleFactory(headline="Harbour reopens", section=section)
    url = section.get_absolute_url()
    statuses = []
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                with override_settings(PAGE_CACHE_ENABLED=False):
                    statuses.append((time.monotonic(), serve(site, url).status_code))
        finally:
            connections.close_all()

    readers = [threading.Thread(target=reader) for _ in range(4)]
    for thread in readers:
        thread.start()
    time.sleep(0.5)
    database.cut()
    time.sleep(1.0)
    database.restore()
    restored = time.monotonic()
    time.sleep(1.5)
    stop.set()
    for thread in readers:
        thread.join()

    seen = {status for _, status in statuses}
    assert seen <= {200, 503}, seen  # never a 500
    assert 503 in seen
    late = [status for moment, status in statuses if moment > restored + 0.5]
    assert late and set(late) == {200}


# --- SQLite locked -----------------------------------------------------------------------------


@pytest.fixture
def sqlite_file_database(tmp_path):
    """The in-memory test database copied to a WAL file, the way the site runs on SQLite,
    with a 1 s busy timeout (production waits 20 s) so the test can outlast it quickly."""
    connection.ensure_connection()
    kept = connection.connection
    path = tmp_path / "newsroom.sqlite3"
    with sqlite3.connect(path) as copy:
        kept.backup(copy)
    settings_dict = connection.settings_dict
    saved = settings_dict["NAME"], settings_dict["OPTIONS"]
    connection.connection = None
    settings_dict["NAME"] = str(path)
    settings_dict["OPTIONS"] = {
        **saved[1],
        "timeout": 1,
        "init_command": saved[1]["init_command"].replace("busy_timeout=20000", "busy_timeout=1000"),
    }
    yield path
    connection.close()
    settings_dict["NAME"], settings_dict["OPTIONS"] = saved
    connection.connection = kept


def hold_write_lock(path, seconds):
    """Another process's writer: holds the database's write lock for `seconds`."""
    ready = threading.Event()

    def hold():
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        ready.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait()
    return thread


@pytest.mark.skipif(not SQLITE, reason="SQLite's single-writer lock")
def test_sqlite_locked_longer_than_the_busy_timeout(client, sqlite_file_database):
    """Stands for a 30 s lock against the 20 s busy timeout of production: the lock is
    held 3 s against a busy timeout of 1 s. Readers keep reading (WAL), the save that
    cannot get the lock answers 503 and loses nothing, and the retry lands."""
    section = SectionFactory(name="Harbour", slug="harbour")
    ArticleFactory(headline="Harbour reopens", section=section)
    client.force_login(UserFactory(is_superuser=True))
    change_url = f"/admin/articles/section/{section.pk}/change/"
    data = form_data_from_response(client.get(change_url))

    holder = hold_write_lock(sqlite_file_database, seconds=3)
    try:
        reader = client.__class__()
        assert reader.get(section.get_absolute_url()).status_code == 200
        client.raise_request_exception = False
        refused = client.post(change_url, {**data, "name": "Harbour and coast"})
        assert refused.status_code == 503
        assert refused["Retry-After"] == "30"
    finally:
        holder.join()

    assert Section.objects.get(pk=section.pk).name == "Harbour"  # nothing half-saved
    assert Article.objects.filter(headline="Harbour reopens").exists()  # nothing lost
    retried = client.post(change_url, {**data, "name": "Harbour and coast"})
    assert retried.status_code == 302
    assert Section.objects.get(pk=section.pk).name == "Harbour and coast"


# --- Redis down --------------------------------------------------------------------------------


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_redis_down_pages_and_saves_keep_working(client):
    section = SectionFactory(name="Harbour", slug="harbour")
    article = ArticleFactory(headline="Harbour reopens", section=section)
    dead_redis = {
        "default": {
            "BACKEND": "publishing.cache_backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    fragments = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    public = [
        "/",
        section.get_absolute_url(),
        article.get_absolute_url(),
        "/robots.txt",
        "/.well-known/tdmrep.json",
        "/feeds/rss/",
    ]
    with override_settings(CACHES={**dead_redis, "fragments": fragments}):
        reader = client.__class__()
        for url in public:
            assert reader.get(url).status_code == 200, url
        client.force_login(UserFactory(is_superuser=True))
        change_url = f"/admin/articles/section/{section.pk}/change/"
        data = form_data_from_response(client.get(change_url))
        assert client.post(change_url, {**data, "name": "Saved without Redis"}).status_code == 302
        assert "Saved without Redis" in reader.get(article.get_absolute_url()).content.decode()
    assert Section.objects.get(pk=section.pk).name == "Saved without Redis"
