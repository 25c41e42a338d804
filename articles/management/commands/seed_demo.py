"""Seed demo content written for this project: sections, articles, photos, notice, accounts.

Idempotent in the way the quick start needs, so `scripts/serve` can call it on every
start: a login for every role is created when missing; the published stories only when
no article exists yet (unless --force); the stories in progress (articles/demo_workflow.py)
each when missing.
"""

import io
import random
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageOps

from articles.demo_content import (
    AGENCIES,
    LEGAL_PAGES,
    NOTICE_REVISIONS,
    NOTICES,
    PHOTOGRAPHERS,
    SECTIONS,
    STORIES,
)
from articles.demo_workflow import seed_workflow_stories
from articles.models import Article, Author, Byline, HomepageSlot, Section
from articles.roles import EDITOR, JOURNALIST, LEGAL, PHOTO_EDITOR, sync_roles
from legal.models import LegalPage, Notice, NoticeVersion, Publisher
from legal.services import notice_revise
from media.models import Photo
from media.renditions import generate_renditions


def demo_body(headline, tags, rng):
    """A short article body with subheadings, a quote and a list, written for the demo."""
    return (
        f"The news came on a quiet morning, but it had been months in the making: "
        f"{headline[0].lower() + headline[1:]}. Officials, residents and experts followed "
        f"every step.\n\n"
        f"## What changes\n\n"
        f"People affected will notice the first differences within weeks. Planners set out "
        f"a timetable in three stages:\n\n"
        f"- a consultation with residents and businesses,\n"
        f"- a trial period of {rng.randint(3, 12)} weeks,\n"
        f"- a review published in full.\n\n"
        f'> "We listened first and decided second," said one of the organisers.\n\n'
        f"## Why it matters\n\n"
        f"The decision touches on **{tags[0]}** and *{tags[1]}*, two subjects that readers "
        f"have written to us about more than any other this year.\n\n"
        f"## What comes next\n\n"
        f"A public meeting is planned for next month. We will report on it as it happens."
    )


def demo_image(rng, label):
    """A 1600x1000 JPEG drawn with Pillow: a two-colour gradient with simple shapes."""
    width, height = 1600, 1000
    top = tuple(rng.randint(20, 200) for _ in range(3))
    bottom = tuple(rng.randint(20, 200) for _ in range(3))
    gradient = Image.linear_gradient("L").resize((width, height))
    image = ImageOps.colorize(gradient, black=top, white=bottom)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(60, 260)
        shade = tuple(min(255, c + 40) for c in top)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=shade, width=8)
    draw.text((40, height - 60), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return ContentFile(buffer.getvalue(), name="demo.jpg")


class Command(BaseCommand):
    help = "Seed demo content (sections, articles, photos, legal notice, accounts)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Seed even if articles exist.")
        parser.add_argument("--seed", type=int, default=2024, help="Random seed.")

    def handle(self, *args, force=False, seed=2024, **options):
        rng = random.Random(seed)
        # One transaction: the notifications the workflow stories send go out once it commits.
        with transaction.atomic():
            seed_published = force or not Article.objects.exists()
            logins = self.create_accounts()
            self.create_legal()
            sections = {
                slug: Section.objects.update_or_create(
                    slug=slug, defaults={"name": name, "position": position}
                )[0]
                for position, (name, slug) in enumerate(SECTIONS)
            }
            authors = self.create_authors()
            if seed_published:
                self.create_articles(rng, sections, authors)
                self.create_agency_arrivals(rng)
                self.choose_front_page()
            else:
                self.stdout.write("Articles exist already; published demo stories not seeded.")
            User = get_user_model()
            in_progress = seed_workflow_stories(
                journalist=User.objects.get(username="journalist"),
                editor=User.objects.get(username="editor"),
                sections=sections,
                author=authors[0],
            )
            if in_progress:
                self.stdout.write(f"Created {in_progress} stories in progress, with notifications.")
        self.write_logins(logins)

    def create_accounts(self):
        User = get_user_model()
        sync_roles()
        logins = []
        # A login for every role; the names match the demo's authors where they write.
        accounts = [
            ("admin", True, None, ""),
            ("editor", False, EDITOR, "James Whitfield"),
            ("journalist", False, JOURNALIST, "Anna Nowak"),
            ("photo-editor", False, PHOTO_EDITOR, "Maria Lopez"),
            ("legal", False, LEGAL, "Tom Becker"),
        ]
        for username, is_superuser, role, name in accounts:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            first_name, _, last_name = name.partition(" ")
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                is_staff=True,
                is_superuser=is_superuser,
                email=f"{username}@{settings.SITE_DOMAIN}",
            )
            user.set_password(password)
            user.save()
            if role:
                user.groups.add(Group.objects.get(name=role))
            logins.append((username, password))
        return logins

    def write_logins(self, logins):
        if not logins:
            return
        path = settings.VAR_DIR / "demo-logins.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as handle:
            for username, password in logins:
                handle.write(f"{username} {password}\n")
        path.chmod(0o600)
        for username, password in logins:
            self.stdout.write(f"Created staff login: {username} / {password}")

    def create_legal(self):
        """The publisher, the legal pages linked from the footer and the notices in force."""
        Publisher.objects.get_or_create(
            pk=Publisher.SINGLETON_PK,
            defaults={
                "name": settings.PUBLISHER_NAME,
                "registered_office": "1 Harbour Street\n00-001 Example City",
                "email": f"licensing@{settings.SITE_DOMAIN}",
                "phone": "+48 22 123 45 67",
            },
        )
        pages = {}
        for position, (slug, title, body) in enumerate(LEGAL_PAGES):
            pages[slug], _ = LegalPage.objects.get_or_create(
                slug=slug,
                defaults={"title": title, "body": body, "footer_position": position},
            )
        for kind, title, text, slug in NOTICES:
            notice, created = Notice.objects.get_or_create(kind=kind, defaults={"title": title})
            if not created:
                continue
            wordings = [(text, -365)] + [
                (later, days) for revised, later, days in NOTICE_REVISIONS if revised == kind
            ]
            for wording, days in wordings:
                notice_revise(
                    notice=notice,
                    version=NoticeVersion(
                        text=wording,
                        link_text="here",
                        page=pages[slug],
                        effective_at=timezone.now() + timedelta(days=days),
                    ),
                )

    def create_authors(self):
        User = get_user_model()
        people = [
            ("Anna Nowak", "Senior reporter", "journalist"),
            ("James Whitfield", "Politics correspondent", "editor"),
            ("Priya Raman", "Business editor", None),
            ("Oskar Lind", "Culture writer", None),
            ("Chloé Martin", "Sports reporter", None),
        ]
        authors = []
        for name, job_title, username in people:
            user = User.objects.filter(username=username).first() if username else None
            author, _ = Author.objects.get_or_create(
                slug=slugify(name),
                defaults={
                    "name": name,
                    "job_title": job_title,
                    "user": user,
                    "bio": f"{name} writes for {settings.SITE_NAME}.",
                },
            )
            authors.append(author)
        return authors

    def create_agency_arrivals(self, rng):
        """Two agency photos nobody has described yet: Media › Photos › "By alt text:
        Missing" finds them, and the grid shows them marked."""
        for caption in ("Harbour cranes at first light.", "Market stalls before opening."):
            photo = Photo(caption=caption, agency="PAP", photographer=rng.choice(PHOTOGRAPHERS))
            photo.image.save("agency.jpg", demo_image(rng, f"PAP/{photo.photographer}"), save=False)
            photo.save()
            generate_renditions(photo)

    def create_articles(self, rng, sections, authors):
        now = timezone.now()
        for index, (headline, section_slug, lead, tags) in enumerate(STORIES):
            agency = rng.choice(AGENCIES)
            photographer = rng.choice(PHOTOGRAPHERS)
            photo = Photo(
                alt_text=f"Illustration for the story: {headline}",
                caption=f"An illustration for “{headline}”.",
                agency=agency,
                photographer=photographer,
            )
            photo.image.save("demo.jpg", demo_image(rng, f"{agency}/{photographer}"), save=False)
            photo.save()
            generate_renditions(photo)
            article = Article.objects.create(
                headline=headline,
                slug=slugify(headline),
                lead=lead,
                body=demo_body(headline, tags, rng),
                section=sections[section_slug],
                lead_photo=photo,
                status=Article.Status.PUBLISHED,
                published_at=now
                - timedelta(hours=index * 7 + rng.randint(0, 5), minutes=rng.randint(0, 59)),
            )
            article.tags.add(*tags)
            Byline.objects.create(article=article, author=authors[index % len(authors)], position=0)
            if index % 4 == 0:
                Byline.objects.create(
                    article=article, author=authors[(index + 2) % len(authors)], position=1
                )
            if index % 7 == 3:
                Byline.objects.create(article=article, contributor="Guest Contributor", position=2)

    def choose_front_page(self):
        """An editor's choice for the home page: a lead that is not simply the newest story."""
        for position, slug in enumerate(
            [
                "harbour-bridge-repairs-finish-two-months-early",
                "election-observers-praise-calm-polling-day",
            ],
            start=1,
        ):
            article = Article.objects.filter(slug=slug).first()
            if article:
                HomepageSlot.objects.update_or_create(
                    position=position, defaults={"article": article}
                )
