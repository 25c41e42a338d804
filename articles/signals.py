"""What the workflow tells the rest of the project, once it has happened.

Apps that react to the workflow (the desk's notifications) connect receivers here, so
articles never imports them. Both signals are sent only after the transaction that made
the change commits: a rolled-back transition announces nothing. They are sent robustly:
a failing receiver is logged and never turns a committed transition into an error page.
"""

import logging
from functools import partial

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent with `article` (as it now stands) and `event` (its new ArticleEvent).
article_transitioned = Signal()
# Sent with `article` and `correction` (the appended Correction).
article_corrected = Signal()


def _send(signal, **kwargs):
    for receiver, result in signal.send_robust(**kwargs):
        if isinstance(result, Exception):
            logger.error(
                "%s failed after a committed workflow change",
                getattr(receiver, "__qualname__", receiver),
                exc_info=result,
            )


def send_on_commit(signal, **kwargs):
    transaction.on_commit(partial(_send, signal, **kwargs))
