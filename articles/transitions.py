"""The workflow's transitions, each declared once.

An entry names the transition (the action `policies.can()` answers for and the
ArticleEvent records), its button text, the service in articles/services.py that
performs it, whether it takes a time and a comment, and whether it is offered as a bulk
action. The admin's buttons, its transition form and view, its bulk actions and the
history table all read `REGISTRY`, in its order; adding a transition is one entry here,
one rule in `policies.can()` and one service.

Most entries move the story (or its times); "Request an update" is an event only: it
leaves the article as it is and records the writer's request in the history, where the
desk hears of it like any transition.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass

from . import policies, services


class Needs(enum.Enum):
    NO = "no"
    OPTIONAL = "optional"
    REQUIRED = "required"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button's text, a command
    done: str  # what the history shows once it happened
    service: Callable
    needs_time: Needs = Needs.NO
    needs_comment: Needs = Needs.OPTIONAL
    bulk: bool = False
    time_help: str = ""
    comment_help: str = ""
    # The service's name for the time, where it says more than "at".
    time_argument: str = "at"

    def __post_init__(self):
        if self.bulk and Needs.REQUIRED in {self.needs_time, self.needs_comment}:
            raise ValueError(
                f"{self.name}: a bulk action cannot ask for the time or comment it requires."
            )

    def run(self, *, article, user, at=None, comment=""):
        """Call the service with the form's uniform fields: every path ends in services.py."""
        arguments = {"article": article, "user": user, "comment": comment}
        if self.needs_time is not Needs.NO:
            arguments[self.time_argument] = at
        return self.service(**arguments)

    def allowed(self, user, article):
        return policies.can(user, self.name, article)

    def refusal(self, user, article):
        """Why `user` may not take this transition on `article` now ("" if they may)."""
        return policies.refusal(user, self.name, article)


REGISTRY = (
    Transition(
        policies.SUBMIT,
        "Submit for review",
        "Submitted for review",
        services.article_submit,
        bulk=True,
    ),
    Transition(
        policies.WITHDRAW,
        "Withdraw to draft",
        "Withdrawn to draft",
        services.article_withdraw,
        comment_help="Optional: tell the desk why (they are notified either way).",
    ),
    Transition(
        policies.SEND_BACK,
        "Send back",
        "Sent back",
        services.article_send_back,
        needs_comment=Needs.REQUIRED,
        comment_help="What the writer needs to change.",
    ),
    Transition(policies.APPROVE, "Approve", "Approved", services.article_approve, bulk=True),
    Transition(
        policies.SCHEDULE,
        "Schedule",
        "Scheduled",
        services.article_schedule,
        needs_time=Needs.REQUIRED,
    ),
    Transition(policies.PUBLISH, "Publish now", "Published", services.article_publish, bulk=True),
    Transition(
        policies.UPDATE,
        "Mark as material update",
        "Marked as material update",
        services.article_update,
    ),
    Transition(
        policies.REQUEST_UPDATE,
        "Request an update",
        "Update requested",
        services.article_request_update,
        needs_comment=Needs.REQUIRED,
        comment_help="What should change and why. The editors are notified; readers see "
        "nothing until an editor changes the story.",
    ),
    Transition(
        policies.UNPUBLISH, "Unpublish", "Unpublished", services.article_unpublish, bulk=True
    ),
    Transition(
        policies.SET_EMBARGO,
        "Set embargo",
        "Embargo set",
        services.article_set_embargo,
        needs_time=Needs.REQUIRED,
        time_argument="until",
    ),
    Transition(
        policies.LIFT_EMBARGO, "Lift embargo", "Embargo lifted", services.article_lift_embargo
    ),
    Transition(
        policies.SET_EXPIRY,
        "Set expiry",
        "Expiry set",
        services.article_set_expiry,
        needs_time=Needs.OPTIONAL,
        time_help="Leave empty to remove the expiry.",
    ),
)


def get(name):
    """The transition called `name`, or None."""
    return next((transition for transition in REGISTRY if transition.name == name), None)


def allowed(user, article):
    """The transitions `user` may take on `article` now, in the registry's order."""
    return [transition for transition in REGISTRY if transition.allowed(user, article)]


def bulk():
    return [transition for transition in REGISTRY if transition.bulk]


def history_text(action):
    """An event's action as the history shows it; actions outside the workflow (a deletion)
    by their recorded name."""
    transition = get(action)
    return transition.done if transition else action.replace("_", " ")
