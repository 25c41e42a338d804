"""The newsroom's roles as Django groups, declared once.

Model permissions are the coarse gate; articles/policies.py decides which
transitions each role may make (publish_article marks an editor).
"""

from django.contrib.auth.models import Group, Permission

JOURNALIST = "Journalist"
EDITOR = "Editor"
PHOTO_EDITOR = "Photo editor"
LEGAL = "Legal"

ROLE_PERMISSIONS = {
    JOURNALIST: [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.view_articleevent",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.view_section",
        "articles.view_author",
        "articles.view_correction",
        "media.add_photo",
        "media.change_photo",
        "media.view_photo",
        "taggit.add_tag",
        "taggit.view_tag",
        # Their own assignments only (desk/planning.py); the desk plans, writers start them.
        "desk.view_assignment",
    ],
    EDITOR: [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        # No delete_article: editors unpublish, which keeps the story and its history.
        "articles.publish_article",
        "articles.manage_embargo",
        "articles.view_articleevent",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.add_section",
        "articles.change_section",
        "articles.view_section",
        "articles.add_author",
        "articles.change_author",
        "articles.view_author",
        # Corrections are append-only: no change or delete permission for any role.
        "articles.add_correction",
        "articles.view_correction",
        "articles.view_deletedarticle",
        "articles.add_homepageslot",
        "articles.change_homepageslot",
        "articles.delete_homepageslot",
        "articles.view_homepageslot",
        "media.add_photo",
        "media.change_photo",
        "media.view_photo",
        "taggit.add_tag",
        "taggit.change_tag",
        "taggit.view_tag",
        # Planning: every assignment (desk/planning.py).
        "desk.add_assignment",
        "desk.change_assignment",
        "desk.delete_assignment",
        "desk.view_assignment",
    ],
    PHOTO_EDITOR: [
        "media.add_photo",
        "media.change_photo",
        "media.delete_photo",
        "media.view_photo",
        "articles.view_article",
        "articles.view_articleevent",
    ],
    LEGAL: [
        "legal.add_notice",
        "legal.change_notice",
        "legal.view_notice",
        "legal.add_legalpage",
        "legal.change_legalpage",
        "legal.view_legalpage",
        "legal.view_noticeversion",
        "legal.change_publisher",
        "legal.view_publisher",
        "legal.add_crawler",
        "legal.change_crawler",
        "legal.delete_crawler",
        "legal.view_crawler",
    ],
}


def sync_roles():
    """Create or update every role group with exactly its permissions. Idempotent."""
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
