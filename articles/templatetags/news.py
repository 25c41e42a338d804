from django import template
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import to_locale

from articles import states
from articles.models import bylines_with_authors
from core.links import absolute_url
from publishing.fragments import cached_html
from publishing.query_params import page_query

register = template.Library()

CARD_TEMPLATE = "includes/article_card.html"
LEAD_STORY_TEMPLATE = "includes/lead_story.html"

# `10:38 AM EDT, October 23, 2024`: the zone abbreviation follows daylight saving.
NEWSROOM_DATETIME_FORMAT = "g:i A T, F j, Y"


@register.filter
def newsroom_time(value):
    if not value:
        return ""
    return date_filter(timezone.localtime(value), NEWSROOM_DATETIME_FORMAT)


register.simple_tag(absolute_url, name="absolute_url")


@register.simple_tag
def article_json_ld(article):
    """The NewsArticle and BreadcrumbList JSON-LD scripts of an article page."""
    from articles.structured_data import breadcrumb_list, json_ld_script, news_article

    return json_ld_script(news_article(article)) + json_ld_script(breadcrumb_list(article))


@register.simple_tag
def article_seo(article):
    """The page's title, description, social title and card image, each override falling
    back to the article's own (articles/seo.py)."""
    from articles.seo import presentation

    return presentation(article)


@register.simple_tag
def og_locale():
    """Open Graph wants `en_US`, not `en-us`."""
    return to_locale(settings.LANGUAGE_CODE)


@register.simple_tag
def site_setting(name):
    """A publisher setting for templates rendered without context processors (500.html)."""
    if name not in {"SITE_NAME", "SITE_DOMAIN", "PUBLISHER_NAME", "SITE_LANGUAGE"}:
        raise template.TemplateSyntaxError(f"{name} is not a publisher setting.")
    return getattr(settings, name)


@register.simple_tag(takes_context=True)
def canonical_page_url(context, page=None):
    """The absolute address of this listing page: `?page=N` only beyond the first page."""
    path = context["request"].path
    if page is not None and page.number > 1:
        path = f"{path}?page={page.number}"
    return absolute_url(path)


@register.simple_tag(takes_context=True)
def page_link(context, number):
    """This listing's address for page `number`, keeping the other parameters its view
    reads (such as `q`) and no others: pages cached under one key are the same bytes.

    The first page has no `?page=`, so each page has exactly one address.
    """
    request = context["request"]
    query = page_query(request)
    query.pop("page", None)
    if number > 1:
        query["page"] = number
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


@register.filter
def iso_datetime(value):
    """ISO 8601 in the newsroom's zone, to the second: `2026-11-20T08:00:00-05:00`.

    HTML's <time datetime> allows at most three fraction digits, so none are written.
    """
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.simple_tag(takes_context=True)
def article_card(context, article, level=2, compact=False, hide_section=False, eager=False):
    """An article in a listing, kept with the page fragments (publishing/fragments.py).

    The same card serves the home page, its section, tags, authors and archive month;
    a kept card costs a dictionary lookup instead of a template include.
    lock_version moves on with every save of the article, so its own edits never wait
    for the content version.
    """
    options = {"level": level, "compact": compact, "hide_section": hide_section, "eager": eager}
    return cached_html(
        context.get("request"),
        "article-card",
        [article.pk, article.lock_version, *options.values()],
        lambda: render_to_string(CARD_TEMPLATE, {"article": article, **options}),
    )


@register.simple_tag(takes_context=True)
def lead_story(context, article):
    """The home page's lead story: a large card with its bylines, kept like the cards.

    The bylines are read only when it is rendered; a byline edit moves the content
    version on, which retires the kept one.
    """

    def render():
        prefetch_related_objects([article], bylines_with_authors())
        return render_to_string(LEAD_STORY_TEMPLATE, {"article": article})

    return cached_html(
        context.get("request"), "lead-story", [article.pk, article.lock_version], render
    )


@register.filter
def state_sentence(article):
    """The preview banner's state ("Scheduled for 2:05 PM EST, December 5, 2026"), in the
    public pages' way of writing a time."""
    return states.state_sentence(article, write_time=newsroom_time)


@register.filter
def readers_sentence(article):
    return states.readers_sentence(article)
