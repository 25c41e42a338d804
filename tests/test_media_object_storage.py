"""The photo bucket's policy: readers may fetch renditions, never originals (moto stands in
for S3 here; tests/cluster checks the same with anonymous HTTP against moto's server)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

S3_OPTIONS = {
    "bucket_name": "newsroom-media",
    "location": "uploads",
    "region_name": "eu-central-1",
    "object_parameters": {"CacheControl": "public, max-age=86400"},
}


@pytest.fixture
def bucket_storage(settings, monkeypatch):
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    with mock_aws():
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "media.storage.PhotoS3Storage", "OPTIONS": S3_OPTIONS},
        }
        from django.core.files.storage import default_storage

        yield default_storage


def test_setup_photo_bucket_creates_the_bucket_and_opens_renditions_only(bucket_storage):
    call_command("setup_photo_bucket", "--create", stdout=io.StringIO())
    client = bucket_storage.connection.meta.client
    location = client.get_bucket_location(Bucket="newsroom-media")["LocationConstraint"]
    assert location == "eu-central-1"
    policy = json.loads(client.get_bucket_policy(Bucket="newsroom-media")["Policy"])
    assert policy["Statement"] == [
        {
            "Sid": "ReadersGetRenditions",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::newsroom-media/uploads/renditions/*",
        }
    ]
    # Again on an existing bucket: the policy is put back, nothing else changes.
    call_command("setup_photo_bucket", stdout=io.StringIO())


def test_setup_photo_bucket_refuses_when_uploads_are_on_disk():
    with pytest.raises(CommandError, match="not in object storage"):
        call_command("setup_photo_bucket")
