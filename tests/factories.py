import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from articles.models import Article, Author, Byline, HomepageSlot, Section
from legal.models import LegalPage, Notice
from media.models import Photo


def jpeg_bytes(width=64, height=40, color=(180, 40, 40), **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", **save_options)
    return buffer.getvalue()


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")


class PhotoFactory(DjangoModelFactory):
    class Meta:
        model = Photo

    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))
    alt_text = "Crowds on the harbour front"
    caption = "Crowds gathered on the harbour front."
    agency = "PAP"
    photographer = "Viktor Kovalchuk"


class ArticleFactory(DjangoModelFactory):
    """A published article; pass status/published_at for other states."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"headline-number-{n}")
    lead = "A lead paragraph that tells the story in one sentence."
    body = "First paragraph.\n\n## A subheading\n\nSecond paragraph."
    section = factory.SubFactory(SectionFactory, name="News", slug="news")
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class BylineFactory(DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(AuthorFactory)


class HomepageSlotFactory(DjangoModelFactory):
    class Meta:
        model = HomepageSlot

    position = factory.Sequence(lambda n: n + 1)
    article = factory.SubFactory(ArticleFactory)


class LegalPageFactory(DjangoModelFactory):
    class Meta:
        model = LegalPage
        django_get_or_create = ["slug"]

    title = "Copyright and text and data mining reservation"
    slug = "copyright-and-tdm"
    body = "## Reservation\n\nAll rights reserved."


class NoticeFactory(DjangoModelFactory):
    class Meta:
        model = Notice

    kind = Notice.Kind.COPYRIGHT
    title = "Copyright and TDM reservation"
    text = (
        "Any reproduction, regardless of the method of exploration and the technique used "
        "(manual or automated, including the use of machine learning or artificial "
        "intelligence programs), requires prior and explicit consent. Detailed information "
        "regarding this notice can be found here."
    )
    link_text = "here"
    page = factory.SubFactory(LegalPageFactory)
    version = factory.Sequence(lambda n: n + 1)
    effective_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
