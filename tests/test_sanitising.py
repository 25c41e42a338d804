"""Whatever a journalist pastes into the body, readers get harmless HTML."""

import pytest

from core.text import render_markdown

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOSTILE_BODY = """\
Intro paragraph.

<script>alert('x')</script>

<img src=x onerror="alert(1)">

[click me](javascript:alert(2))

<a href="JaVaScRiPt:alert(3)">sneaky</a>

<iframe src="https://evil.example/"></iframe>

<p style="background:url(javascript:alert(4))" onclick="alert(5)">styled</p>

<style>body { display: none }</style>

## Still a subheading
"""


def test_hostile_body_is_rendered_harmless_on_the_public_page(client):
    article = ArticleFactory(body=HOSTILE_BODY)
    html = client.get(article.get_absolute_url()).content.decode()
    body = html[html.index('class="article__body"') : html.index('class="article__footer"')]

    lowered = body.lower()
    for forbidden in (
        "<script",
        "alert('x')",
        "onerror",
        "javascript:",
        "<iframe",
        "onclick",
        "style=",
        "<style",
        "display: none",
        "<img",
    ):
        assert forbidden not in lowered, forbidden
    assert "<h2>Still a subheading</h2>" in body
    assert "Intro paragraph." in body
    assert "styled" in body


def test_markdown_gives_subheadings_lists_quotes_links_and_emphasis():
    html = render_markdown(
        "# Top\n\n## Sub\n\n- one\n- two\n\n> quoted\n\n**bold** *italic* [site](https://example.com)"
    )
    assert "<h2>Top</h2>" in html  # the page's only h1 is the headline
    assert "<h2>Sub</h2>" in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<blockquote>" in html
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer">site</a>' in html
