"""The demo newsroom's content, written for this project (no copied news text).

Used by `manage.py seed_demo`; kept apart from the command so the command reads as steps.
"""

from legal.models import Notice

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

# The reservation itself is the notice, shown above this page's body from the same
# version the article foot shows (legal.notices.page_notices): the body explains it and
# never words it again, so the two cannot drift apart.
LEGAL_PAGE_BODY = """\
{publisher} publishes the articles, photographs and graphics on {site_url}. They are \
protected by copyright. The notice above is the one at the foot of every article; this \
page explains how it applies.

## How machines are told

The notice is also published for machines: `/.well-known/tdmrep.json`, the \
`tdm-reservation` and `tdm-policy` headers and meta elements (W3C TDM Reservation \
Protocol), `robots.txt`, and the data-mining field in our photographs' metadata. They \
change together with the notice.

Search engines are let in by `robots.txt`, so that readers can find the site: that is the \
consent the notice asks for, given to them.

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

# Later wordings of notices, (kind, text, days from now until in force): one in force for a
# few days, one still to come, so the legal team's desk lists both. Added with the notice.
NOTICE_REVISIONS = [
    (
        Notice.Kind.PRIVACY,
        "{publisher} does not track readers. What we keep, and why, is here.",
        -6,
    ),
    (
        Notice.Kind.PRIVACY,
        "{publisher} does not track readers or sell their data. What we keep, for how long "
        "and why, is here.",
        12,
    ),
]
