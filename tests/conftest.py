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
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def page_cache_only_when_marked(request, settings):
    """The full-page cache runs in tests marked `page_cache` (tests/test_page_cache_*.py);
    other tests see every request rendered, so their query budgets measure the views."""
    settings.PAGE_CACHE_ENABLED = request.node.get_closest_marker("page_cache") is not None
