"""What the article form tells its writer as they type: lengths against the limits that
search engines and social sites apply, and the body's words and reading time.

The same measures are computed here (rendered with the form, so they show without
JavaScript) and live in static/admin/js/writer-tools.js; keep the two in step.
"""

import math
import re

# Google's structured data once refused a NewsArticle headline over 110 characters and
# still cuts longer ones in some results; the JSON-LD keeps to it (structured_data.py).
HEADLINE_LIMIT = 110
# What search results show of a title and a description before cutting them.
SEO_TITLE_LIMIT = 60
SEO_DESCRIPTION_LIMIT = 160
# Facebook, LinkedIn and X show about this much of a card's title.
SOCIAL_TITLE_LIMIT = 70

# Adult silent reading of non-fiction, in words per minute (Brysbaert, 2019: 238).
WORDS_PER_MINUTE = 238

# A link's address is not read: `[the report](https://…)` counts two words.
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
# A word: letters or digits, with inner apostrophes, hyphens or points (it's, e-mail, 3.5).
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


def character_count(text):
    """Characters as a reader counts them (code points, not UTF-16 units)."""
    return len(text or "")


def length_text(text, limit):
    """`42 / 110 characters`, the count shown beside a field with a soft limit."""
    return f"{character_count(text)} / {limit} characters"


def word_count(markdown):
    return len(_WORD.findall(_LINK_TARGET.sub("]", markdown or "")))


def reading_minutes(words):
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0


def body_stats_text(markdown):
    """`412 words · 2 min read` for the body as it stands."""
    words = word_count(markdown)
    if not words:
        return "No words yet"
    noun = "word" if words == 1 else "words"
    return f"{words:,} {noun} · {reading_minutes(words)} min read"


def shortened(text, limit):
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis."""
    if character_count(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–—-") + "…"
