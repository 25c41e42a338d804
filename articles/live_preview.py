"""The public article page from the form as it stands: an unsaved Article, never written.

The live preview (articles/admin_autosave.py) puts a writer's latest autosave onto the
article as the page's own loader reads it (or onto a new Article), through the admin's
own form, so every value is cleaned as a save would clean it; then the real page template
renders it (views_editing.render_preview). Nothing here writes to the database.
"""

from django.utils.text import slugify
from taggit.models import Tag

from core.text import render_markdown

from .autosave import values_as_data
from .models import Article, ArticlePageExtras, Section

# Stands in for the section of a new article that has none yet: the page needs one to
# render its section label and address.
NO_SECTION = Section(name="No section chosen yet", slug="no-section")


def article_as_typed(form_class, article, values):
    """`article` with the autosave's `values` applied, unsaved, and the problems that kept
    some of them off it: [(label, [messages])]. A value that does not clean (an empty
    headline, a slug in use) leaves the article's saved value in its place."""
    form = form_class(data=values_as_data(values), instance=article)
    # An autosave holds only the fields the writer changed: the others keep the article's
    # values (as saved now, a colleague's save included) by leaving the form.
    for name in list(form.fields):
        if name not in values:
            del form.fields[name]
    # ModelForm puts every value that cleans onto `form.instance` while validating
    # (construct_instance in _post_clean); saving is the only write, and it never happens.
    form.is_valid()
    problems = [
        (form.fields[name].label or name, errors)
        for name, errors in form.errors.items()
        if name in form.fields
    ]
    article = form.instance
    cleaned = form.cleaned_data
    if article.section_id is None:
        article.section = NO_SECTION
    if not article.slug:
        article.slug = slugify(article.headline) or "untitled"
    if "body" in cleaned or article.pk is None:
        article.body_html = render_markdown(article.body)
    extras = article.extras if article.pk else ArticlePageExtras()
    tags = extras.tags
    if "tags" in cleaned:
        tags = page_tags(cleaned["tags"])
    # A fresh copy, so the loaded article's cached extras are never changed in place.
    article.extras = ArticlePageExtras(
        article_id=article.pk,
        bylines=extras.bylines,
        tags=tags,
        has_corrections=extras.has_corrections,
    )
    return article, problems


def page_tags(names):
    """Tag names as the page lists them, with the addresses of those that exist (one query)."""
    known = dict(Tag.objects.filter(name__in=names).values_list("name", "slug"))
    return [{"name": name, "slug": known.get(name) or slugify(name) or "tag"} for name in names]


def new_article(user):
    """The instance an "Add article" form starts from."""
    return Article(created_by=user)
