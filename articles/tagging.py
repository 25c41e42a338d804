"""Tag names and tag merges: the rules every way of naming a tag goes through."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from taggit.models import Tag, TaggedItem

from core.validators import validate_tag_names

from . import policies


def tag_names_validate(names):
    """Raise ValidationError unless every name can be a tag: the article form, the tag
    admin's form and merges all check here, since taggit's Tag carries no validators."""
    validate_tag_names(names, Tag._meta.get_field("name").max_length, Tag().slugify)


@transaction.atomic
def tags_merge(*, tags, name, user):
    """Tag everything tagged with any of `tags` with `name` instead, and delete `tags`.

    `name` may be one of `tags` or another existing tag (names compare without case,
    as TAGGIT_CASE_INSENSITIVE does) or a new one. Refused whole if the user may not
    change one of the tags involved: a merge renames public tag pages and feeds.
    A name that cannot be a tag (`tag_names_validate`) raises ValidationError.
    """
    tag_names_validate([name])
    target = Tag.objects.filter(name__iexact=name).first() or Tag(name=name)
    involved = [*tags, target] if target.pk else list(tags)
    refused = policies.tag_refusal(user, involved)
    if refused:
        raise PermissionDenied(refused)
    if target.pk is None:
        target.save()
    sources = [tag for tag in tags if tag.pk != target.pk]
    # Row by row, with signals: the page cache and search index follow every change.
    for item in TaggedItem.objects.filter(tag__in=sources).select_for_update():
        already = TaggedItem.objects.filter(
            tag=target, content_type_id=item.content_type_id, object_id=item.object_id
        ).exists()
        if already:
            item.delete()
        else:
            item.tag = target
            item.save(update_fields=["tag"])
    for tag in sources:
        tag.delete()
    return target
