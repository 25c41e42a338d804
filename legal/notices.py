"""Which notice ends an article."""

from .models import Notice
from .state import legal_state


def article_notice(article=None, state=None):
    """The article-foot notice version in force.

    Precedence: the article's own override, then its section's, then the site's
    copyright notice. An override whose notice has no version in force yet
    falls through to the next level. Reads the cached legal state: no query.
    """
    state = state or legal_state()
    for notice_id in (
        getattr(article, "legal_notice_id", None),
        getattr(getattr(article, "section", None), "legal_notice_id", None),
    ):
        if notice_id and notice_id in state.notices:
            return state.notices[notice_id]
    return state.site_notice(Notice.Kind.COPYRIGHT)


def page_notices(page, state=None):
    """The notice versions in force that link to `page`, as the article foot shows them.

    The legal page shows these rather than its own wording of them, read from the same
    cached legal state as article_notice(), so the page and the notice a reader just
    followed can never say different things.
    """
    state = state or legal_state()
    return [version for version in state.notices.values() if version.page_id == page.pk]
