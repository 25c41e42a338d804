import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from articles.models import Article, Author, Byline, Correction, HomepageSlot, Section
from legal.models import Crawler, LegalPage, Notice, NoticeVersion, Publisher
from media.models import Photo
from media.renditions import generate_renditions


def jpeg_bytes(width=64, height=40, color=(180, 40, 40), **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", **save_options)
    return buffer.getvalue()


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """`UserFactory(roles=[roles.EDITOR])`: the role groups exactly as setup_roles makes them."""
        if create and extracted:
            from django.contrib.auth.models import Group

            from articles.roles import sync_roles

            sync_roles()
            self.groups.add(*Group.objects.filter(name__in=extracted))


def user_with_role(role, **fields):
    """A staff user in one of the newsroom's role groups (articles/roles.py)."""
    from django.contrib.auth.models import Group

    from articles.roles import sync_roles

    sync_roles()
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=role))
    return user


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
    """A saved photo with its renditions; PhotoFactory(with_renditions=False) skips them."""

    class Meta:
        model = Photo
        skip_postgeneration_save = True

    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))
    alt_text = "Crowds on the harbour front"
    caption = "Crowds gathered on the harbour front."
    agency = "PAP"
    photographer = "Viktor Kovalchuk"

    @factory.post_generation
    def with_renditions(self, create, extracted, **kwargs):
        """Readers only ever see renditions, so a saved photo gets them like in the admin."""
        if create and extracted is not False:
            generate_renditions(self)


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


class DraftArticleFactory(ArticleFactory):
    """A draft with one byline, ready to go through the workflow."""

    status = Article.Status.DRAFT
    published_at = None

    @factory.post_generation
    def byline(self, create, extracted, **kwargs):
        if create:
            Byline.objects.create(article=self, contributor=extracted or "Staff Reporter")


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
    """A notice with a version in force since yesterday.

    Version fields (text, link_text, page, link_url, reserves_tdm, effective_at)
    go to that version. For a site-wide kind that exists already, it adds a version.
    """

    class Meta:
        model = Notice

    kind = Notice.Kind.COPYRIGHT
    title = "Copyright and TDM reservation"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        version_fields = {key: kwargs.pop(key) for key in VERSION_KEYS if key in kwargs}
        kwargs.pop("version", None)  # numbered automatically
        if kwargs["kind"] == Notice.Kind.SYNDICATION:
            notice = model_class.objects.create(**kwargs)
        else:
            notice, _ = model_class.objects.get_or_create(kind=kwargs["kind"], defaults=kwargs)
        NoticeVersionFactory(notice=notice, **version_fields)
        return notice


class NoticeVersionFactory(DjangoModelFactory):
    class Meta:
        model = NoticeVersion

    notice = None
    version = factory.LazyAttribute(
        lambda v: (v.notice.versions.aggregate(latest=Max("version"))["latest"] or 0) + 1
    )
    text = (
        "Any reproduction, regardless of the method of exploration and the technique used "
        "(manual or automated, including the use of machine learning or artificial "
        "intelligence programs), requires prior and explicit consent. Detailed information "
        "regarding this notice can be found here."
    )
    link_text = "here"
    page = factory.Maybe(
        factory.SelfAttribute("link_url"), no_declaration=factory.SubFactory(LegalPageFactory)
    )
    link_url = ""
    reserves_tdm = True
    effective_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


VERSION_KEYS = ["text", "link_text", "page", "link_url", "reserves_tdm", "effective_at"]


class PublisherFactory(DjangoModelFactory):
    class Meta:
        model = Publisher
        django_get_or_create = ["id"]

    id = Publisher.SINGLETON_PK
    name = "Example Herald Media Ltd"
    registered_office = "1 Harbour Street, 00-001 Warsaw, Poland"
    email = "licensing@example-news.com"
    phone = "+48 22 123 45 67"


class CrawlerFactory(DjangoModelFactory):
    class Meta:
        model = Crawler
        django_get_or_create = ["token"]

    token = factory.Sequence(lambda n: f"ExampleAIBot{n}")
    operator = "Example AI"
    purpose = Crawler.Purpose.TRAINING


class CorrectionFactory(DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    kind = Correction.Kind.CORRECTION
    text = "An earlier version of this article misstated the number of ferries."
