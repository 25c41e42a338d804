"""The cluster the checks run against: started once per session, stopped at the end.

Skipped unless CLUSTER_CHECKS=1 (`scripts/cluster --check` sets it, `.ci/run` runs that):
the cluster takes a minute to start and restarts its own servers, so it is not part of the
two test-suite runs. With CLUSTER_CHECKS=1 a cluster that cannot start is a failure.
"""

import os
import secrets

import pytest

from scripts.cluster_lib import ROOT, Cluster

from .client import StaffClient, shell

ENABLED = os.environ.get("CLUSTER_CHECKS") == "1"
EDITOR = "cluster-editor"


def pytest_collection_modifyitems(config, items):
    if ENABLED:
        return
    skip = pytest.mark.skip(reason="cluster checks run with scripts/cluster --check")
    for item in items:
        if item.get_closest_marker("cluster") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def cluster():
    base = int(os.environ.get("CLUSTER_BASE_PORT", "8130"))
    running = Cluster(base, ROOT / "var" / "cluster-check").start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def editor_credentials(cluster):
    password, key = secrets.token_urlsafe(16), secrets.token_hex(20)
    shell(
        cluster,
        f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
user, _ = get_user_model().objects.get_or_create(username={EDITOR!r})
user.is_staff = True
user.set_password({password!r})
user.save()
user.groups.add(Group.objects.get(name="Editor"))
TOTPDevice.objects.filter(user=user).delete()
TOTPDevice.objects.create(user=user, name="cluster checks", key={key!r}, confirmed=True)
print(json.dumps(user.pk))
""",
    )
    return EDITOR, password, key


@pytest.fixture(scope="session")
def editor_on_a(cluster, editor_credentials):
    """An editor signed in (password and two-factor code) on app server A."""
    return StaffClient(cluster.app("a")).sign_in(*editor_credentials)
