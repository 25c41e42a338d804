import pytest


@pytest.fixture(autouse=True)
def isolated_storage(settings, tmp_path):
    """Uploads go to a per-test folder; static files need no collectstatic manifest."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with empty caches, the legal snapshot's process copies included:
    the content version they are keyed on is not bumped when a test's rows go away."""
    from django.core.cache import caches

    from legal import state, tdm

    def empty():
        for alias in ("default", "fragments"):
            caches[alias].clear()
        state._local = (None, None)
        tdm._last = (None, None)

    empty()
    yield
    empty()


@pytest.fixture(autouse=True)
def legal_snapshot_outside_the_test_transaction(request, monkeypatch):
    """pytest-django runs each test inside atomic blocks of its own; to the code under test
    they stand for autocommit, as a request runs in production. Otherwise every query
    budget would count the legal snapshot rebuilt on each call, since nothing read inside
    a transaction is cached (legal.state.may_roll_back). Blocks that a test or the code
    opens still count: Django tells them apart the same way for durable=True atomics.
    Transactional tests (django_db(transaction=True)) have no such blocks and run the real
    check unchanged."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        return
    from django.db import connection

    from legal import state

    def may_roll_back():
        return any(not block._from_testcase for block in connection.atomic_blocks)

    monkeypatch.setattr(state, "may_roll_back", may_roll_back)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Staff users are made in almost every admin test; real PBKDF2 would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium; without it they skip, unless REQUIRE_BROWSER=1."""
    import os

    if os.path.exists(CHROMIUM) or os.environ.get("REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (REQUIRE_BROWSER=1 makes this fail)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def page_cache_only_when_marked(request, settings):
    """The full-page cache runs in tests marked `page_cache` (tests/test_page_cache_*.py);
    other tests see every request rendered, so their query budgets measure the views."""
    settings.PAGE_CACHE_ENABLED = request.node.get_closest_marker("page_cache") is not None
