"""Seed demo content written for this project: sections, articles, photos, notice, accounts.

Idempotent in the way the quick start needs: it does nothing when articles
already exist (unless --force), so `scripts/serve` can call it on every start.
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

from articles.models import Article, Author, Byline, HomepageSlot, Section
from articles.roles import EDITOR, JOURNALIST, sync_roles
from legal.models import LegalPage, Notice, NoticeVersion, Publisher
from legal.services import notice_revise
from media.models import Photo
from media.renditions import generate_renditions

SECTIONS = [
    ("News", "news"),
    ("World", "world"),
    ("Business", "business"),
    ("Culture", "culture"),
    ("Sport", "sport"),
]

# Invented stories, written for this demo.
STORIES = [
    (
        "City council approves night bus network",
        "news",
        "Twelve new routes will run between midnight and five in the morning from next spring.",
        ["transport", "city council"],
    ),
    (
        "River clean-up volunteers remove four tonnes of rubbish",
        "news",
        "More than 600 residents spent the weekend clearing the banks of the river.",
        ["environment", "volunteers"],
    ),
    (
        "School meals to include locally grown vegetables",
        "news",
        "The district signed contracts with eleven farms within fifty miles of the city.",
        ["education", "food"],
    ),
    (
        "Library extends opening hours after record visits",
        "news",
        "Branches will stay open until nine on weekdays, the board decided on Tuesday.",
        ["libraries", "city council"],
    ),
    (
        "Harbour bridge repairs finish two months early",
        "news",
        "Engineers credit a mild autumn and a new overnight working schedule.",
        ["transport", "infrastructure"],
    ),
    (
        "Coastal nations agree on shared fishing quotas",
        "world",
        "Negotiators reached the deal after nine days of talks in a lighthouse town.",
        ["diplomacy", "fisheries"],
    ),
    (
        "Mountain villages reconnect after winter storms",
        "world",
        "Crews reopened the last mountain road on Sunday, ending a three-week isolation.",
        ["weather", "infrastructure"],
    ),
    (
        "Election observers praise calm polling day",
        "world",
        "Turnout reached 71 percent, the highest in two decades, officials said.",
        ["elections", "diplomacy"],
    ),
    (
        "Drought eases as seasonal rains return",
        "world",
        "Reservoir levels rose by a third in a fortnight, according to the water authority.",
        ["weather", "environment"],
    ),
    (
        "Museum returns artefacts to their home region",
        "world",
        "The forty objects will go on display in a new regional gallery next year.",
        ["museums", "diplomacy"],
    ),
    (
        "Small bakeries report a rise in morning trade",
        "business",
        "Owners say commuters are returning to the habit of breakfast on the way to work.",
        ["retail", "food"],
    ),
    (
        "Solar co-operative signs up its thousandth member",
        "business",
        "The co-operative's rooftop panels now power about 400 homes.",
        ["energy", "environment"],
    ),
    (
        "Port handles record container volumes",
        "business",
        "The harbour authority credits new cranes and longer operating hours.",
        ["trade", "transport"],
    ),
    (
        "Start-up turns coffee grounds into garden compost",
        "business",
        "The company collects spent grounds from 200 cafés across the region.",
        ["start-ups", "environment"],
    ),
    (
        "Regional airline adds three routes for summer",
        "business",
        "Flights to two island destinations and one capital begin in June.",
        ["aviation", "transport"],
    ),
    (
        "Orchestra opens season with a forgotten symphony",
        "culture",
        "The score was rediscovered in a church archive three years ago.",
        ["music", "history"],
    ),
    (
        "Film festival announces its opening night picture",
        "culture",
        "A debut feature shot entirely in the city's old market hall will open the festival.",
        ["film", "festivals"],
    ),
    (
        "Poets gather for the annual harbour readings",
        "culture",
        "Readings take place on a moored ferry for the first time.",
        ["literature", "festivals"],
    ),
    (
        "Theatre restores its painted ceiling",
        "culture",
        "Conservators spent eighteen months cleaning a century of candle smoke.",
        ["theatre", "history"],
    ),
    (
        "Photography exhibition shows the city at dawn",
        "culture",
        "Forty photographers contributed images taken between four and six in the morning.",
        ["photography", "museums"],
    ),
    (
        "Home side clinches the league on the final day",
        "sport",
        "A late header secured the title in front of a sold-out stadium.",
        ["football", "league"],
    ),
    (
        "Marathon draws a record field of runners",
        "sport",
        "More than 14,000 runners crossed the finish line on the waterfront.",
        ["running", "city council"],
    ),
    (
        "Rowing club celebrates its centenary regatta",
        "sport",
        "Crews from nine countries raced on the river over two days.",
        ["rowing", "history"],
    ),
    (
        "Young swimmer breaks national junior record",
        "sport",
        "The 15-year-old lowered the 200 metres freestyle mark by almost a second.",
        ["swimming", "league"],
    ),
    (
        "Cycling route along the old railway opens",
        "sport",
        "The 38-kilometre path links six towns along a former branch line.",
        ["cycling", "infrastructure"],
    ),
    (
        "Hospital opens a new children's wing",
        "news",
        "The wing has 40 beds and a rooftop garden designed with young patients.",
        ["health", "city council"],
    ),
    (
        "Farmers' market moves to the old tram depot",
        "business",
        "Stallholders say the covered hall will let the market run all year.",
        ["food", "retail"],
    ),
    (
        "Island ferry service adds an electric vessel",
        "world",
        "The new ferry charges in eight minutes while passengers board.",
        ["transport", "energy"],
    ),
    (
        "Jazz club reopens after a two-year renovation",
        "culture",
        "The basement venue kept its original stage and added step-free access.",
        ["music", "city council"],
    ),
    (
        "Chess prodigy wins the open championship",
        "sport",
        "The 12-year-old beat three grandmasters on the way to the title.",
        ["chess", "league"],
    ),
    (
        "Weather service upgrades its flood warnings",
        "news",
        "Warnings will now name streets rather than whole districts.",
        ["weather", "infrastructure"],
    ),
    (
        "Trade fair brings makers from forty countries",
        "business",
        "Organisers expect 60,000 visitors over four days.",
        ["trade", "festivals"],
    ),
]

PHOTOGRAPHERS = ["Viktor Kovalchuk", "Anna Nowak", "Maria Lopez", "Tom Becker", "Lena Sato"]
AGENCIES = ["PAP", "PAP", "Reuters", "AFP"]

NOTICE_TEXT = (
    "All content published on this website is protected by copyright. Any reproduction, "
    "distribution or other use of it, in whole or in part, regardless of the method of "
    "exploration and the technique used (manual or automated, including the use of machine "
    "learning or artificial intelligence programs), requires the prior and explicit consent "
    "of {publisher}. {publisher} expressly reserves the use of its content for text and data "
    "mining under Article 4(3) of Directive (EU) 2019/790. Detailed information regarding "
    "this notice can be found here."
)

LEGAL_PAGE_BODY = """\
{publisher} publishes the articles, photographs and graphics on {site_url}. They are \
protected by copyright.

## Reservation of text and data mining

{publisher} reserves the right to use its content for text and data mining within the \
meaning of Article 4(3) of Directive (EU) 2019/790. Reproduction or extraction of content, \
whether manual or automated, including by machine learning or artificial intelligence \
programs, requires prior and explicit consent.

Search engines may index the site so that readers can find it.

The reservation is also machine-readable: `/.well-known/tdmrep.json`, the `tdm-reservation` \
and `tdm-policy` headers and meta elements (W3C TDM Reservation Protocol), `robots.txt`, \
and the data-mining field in our photographs' metadata.

## Requesting a licence

Write to {email} and tell us which content you would like to use and how.
"""

TERMS_BODY = """\
These terms govern the use of {site_url}, published by {publisher}.

## Using the site

You may read, link to and share links to our articles. Copying, republishing or \
mining our content needs our written consent; see the copyright and text and data \
mining reservation.

## Contact

{publisher}, {registered_office}. Email {email}.
"""

PRIVACY_BODY = """\
{publisher} is the controller of personal data processed on {site_url}.

## What we collect

Readers are not tracked. Staff accounts store a name, an email address and a \
password hash. Server logs keep IP addresses for fourteen days for security.

## Your rights

You may ask for access, correction or deletion of your data by writing to {email}.
"""

IMPRINT_BODY = """\
**{publisher}**

{registered_office}

Email: {email}

Telephone: {phone}

Website: {site_url}
"""

LEGAL_PAGES = [
    ("copyright-and-tdm", "Copyright and text and data mining reservation", LEGAL_PAGE_BODY),
    ("terms", "Terms of use", TERMS_BODY),
    ("privacy", "Privacy", PRIVACY_BODY),
    ("imprint", "Imprint", IMPRINT_BODY),
]

NOTICES = [
    (Notice.Kind.COPYRIGHT, "Copyright and TDM reservation", NOTICE_TEXT, "copyright-and-tdm"),
    (
        Notice.Kind.PRIVACY,
        "Privacy",
        "{publisher} does not track readers. Details of the data we keep are here.",
        "privacy",
    ),
]


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
        if Article.objects.exists() and not force:
            self.stdout.write("Articles exist already; demo content not seeded.")
            return
        rng = random.Random(seed)
        with transaction.atomic():
            logins = self.create_accounts()
            self.create_legal()
            sections = {
                slug: Section.objects.update_or_create(
                    slug=slug, defaults={"name": name, "position": position}
                )[0]
                for position, (name, slug) in enumerate(SECTIONS)
            }
            authors = self.create_authors()
            self.create_articles(rng, sections, authors)
            self.choose_front_page()
        self.write_logins(logins)

    def create_accounts(self):
        User = get_user_model()
        sync_roles()
        logins = []
        accounts = [
            ("admin", True, None),
            ("editor", False, EDITOR),
            ("journalist", False, JOURNALIST),
        ]
        for username, is_superuser, role in accounts:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            user = User(
                username=username,
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
            if created:
                notice_revise(
                    notice=notice,
                    version=NoticeVersion(
                        text=text,
                        link_text="here",
                        page=pages[slug],
                        effective_at=timezone.now() - timedelta(days=365),
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
