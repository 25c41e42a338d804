"""One transition registry (articles/transitions.py): the admin's buttons, its transition
form and view, its bulk actions and the history all read it, and nothing else lists the
transitions."""

import ast
import dataclasses
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from articles import policies, roles, services, transitions
from articles.models import Article
from articles.transitions import Needs, Transition
from desk import notifications

from .factories import DraftArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Article.Status

REGISTRY_NAMES = [transition.name for transition in transitions.REGISTRY]
# policies.can() answers for these two besides the transitions: they are not workflow moves.
ARTICLE_ACTIONS = {policies.EDIT, policies.VIEW}


def test_every_workflow_action_policies_answers_for_is_in_the_registry_once():
    actions = {
        value for name, value in vars(policies).items() if name.isupper() and isinstance(value, str)
    }

    assert actions - ARTICLE_ACTIONS == set(REGISTRY_NAMES)
    assert len(REGISTRY_NAMES) == len(set(REGISTRY_NAMES))
    assert all(transition.label and transition.done for transition in transitions.REGISTRY)


def transition_literals(node):
    """How many transition names a collection literal spells out, as policies.X or as text."""
    elements = node.keys if isinstance(node, ast.Dict) else node.elts
    return sum(
        (isinstance(element, ast.Attribute) and element.attr.lower() in REGISTRY_NAMES)
        or (isinstance(element, ast.Constant) and element.value in REGISTRY_NAMES)
        for element in elements
    )


def production_modules():
    root = Path(settings.BASE_DIR)
    for app in ["articles", "desk", "legal", "media", "newsroom", "publishing", "staff"]:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(root), ast.parse(path.read_text())


# Who is told of which transition is the desk's decision, and articles may not import the
# desk: its rules name transitions, and the test below keeps those names in the registry.
ALLOWED_LISTS = {("desk/notifications.py", "RULES")}


def allowed_literals(path, tree):
    """The nodes of the allowed lists in this module, with everything inside them."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            names = {target.id for target in node.targets if isinstance(target, ast.Name)}
            if any((str(path), name) in ALLOWED_LISTS for name in names):
                skipped |= {id(inner) for inner in ast.walk(node.value)}
    return skipped


def test_no_production_module_lists_transitions_or_their_labels_outside_the_registry():
    labels = {transition.label for transition in transitions.REGISTRY}
    collection = ast.List | ast.Tuple | ast.Set | ast.Dict
    found = []
    for path, tree in production_modules():
        if str(path) == "articles/transitions.py":
            continue
        skipped = allowed_literals(path, tree)
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            # Two actions sharing one rule in policies.can() are a rule, not a list.
            if isinstance(node, collection) and transition_literals(node) >= 3:
                found.append(f"{path}:{node.lineno} lists transitions")
            if isinstance(node, ast.Constant) and node.value in labels:
                found.append(f"{path}:{node.lineno} spells the label {node.value!r}")

    assert found == []


def test_the_desk_is_told_only_of_transitions_in_the_registry():
    assert set(notifications.RULES) <= set(REGISTRY_NAMES)


def buttons(client, article):
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    return [(label, action) for _url, label, action in response.context["workflow_buttons"]]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_editor_sees_the_registry_buttons_in_its_order_filtered_by_the_policy(client, status):
    editor = UserFactory(roles=[roles.EDITOR])
    article = DraftArticleFactory(created_by=editor)
    Article.objects.filter(pk=article.pk).update(status=status)
    article.refresh_from_db()
    client.force_login(editor)

    expected = [
        (transition.label, transition.name)
        for transition in transitions.REGISTRY
        if policies.can(editor, transition.name, article)
    ]
    assert buttons(client, article) == expected
    assert len(expected) >= 3


def bulk_actions(client):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    form = response.context["action_form"]  # None when no action is offered at all
    choices = form.fields["action"].choices if form else []
    return [name for name, _label in choices if name.startswith("bulk_")]


def test_the_bulk_actions_are_the_registry_entries_marked_bulk_in_order(client):
    client.force_login(UserFactory(roles=[roles.EDITOR]))

    expected = [f"bulk_{t.name}" for t in transitions.REGISTRY if t.bulk]
    assert bulk_actions(client) == expected
    assert len(expected) >= 2


def test_a_read_only_role_is_offered_no_bulk_transition(client):
    client.force_login(UserFactory(roles=[roles.PHOTO_EDITOR]))

    assert bulk_actions(client) == []


def test_the_history_names_each_event_by_the_registry(client):
    editor = UserFactory(roles=[roles.EDITOR])
    article = DraftArticleFactory(created_by=editor)
    services.article_submit(article=article, user=editor)
    client.force_login(editor)

    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert '<td data-label="Action">Submitted for review</td>' in html


def add_flag_for_legal(monkeypatch, **fields):
    """A transition added to the registry (with its policy rule), its service recording calls."""
    calls = []

    def article_flag_for_legal(*, article, user, when, comment):
        calls.append({"article": article, "user": user, "when": when, "comment": comment})
        return article

    entry = Transition(
        "flag_for_legal",
        "Flag for legal",
        "Flagged for legal",
        article_flag_for_legal,
        needs_time=Needs.OPTIONAL,
        time_argument="when",
        **fields,
    )
    monkeypatch.setattr(transitions, "REGISTRY", (*transitions.REGISTRY, entry))
    can = policies.can

    def can_with_flag(user, action, article):
        if action == entry.name:
            return policies.is_editor(user)
        return can(user, action, article)

    monkeypatch.setattr(policies, "can", can_with_flag)
    return calls


def test_a_new_registry_entry_is_a_button_whose_view_asks_for_its_fields_and_runs_its_service(
    client, monkeypatch
):
    flag_for_legal = add_flag_for_legal(
        monkeypatch, needs_comment=Needs.REQUIRED, comment_help="What legal should read."
    )
    editor = UserFactory(roles=[roles.EDITOR])
    article = DraftArticleFactory(created_by=editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[article.pk, "flag_for_legal"])

    assert buttons(client, article)[-1] == ("Flag for legal", "flag_for_legal")
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert f'href="{url}"' in page.content.decode()

    form = client.get(url).context["form"]
    assert form.fields["comment"].required and not form.fields["at"].required
    assert form.fields["comment"].help_text == "What legal should read."

    refused = client.post(url, {"at_0": "", "at_1": "", "comment": ""})
    assert refused.status_code == 200 and flag_for_legal == []

    response = client.post(url, {"at_0": "", "at_1": "", "comment": "Names a minor"})
    assert response.status_code == 302
    assert flag_for_legal == [
        {"article": article, "user": editor, "when": None, "comment": "Names a minor"}
    ]


def test_a_new_registry_entry_marked_bulk_is_a_bulk_action_for_whom_the_policy_allows(
    client, monkeypatch
):
    flag_for_legal = add_flag_for_legal(monkeypatch, bulk=True)
    editor = UserFactory(roles=[roles.EDITOR])
    article = DraftArticleFactory(created_by=editor)
    client.force_login(editor)

    assert bulk_actions(client)[-1] == "bulk_flag_for_legal"
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "bulk_flag_for_legal", "_selected_action": [article.pk]},
    )

    assert [call["article"] for call in flag_for_legal] == [article]
    client.force_login(UserFactory(roles=[roles.JOURNALIST]))
    assert "bulk_flag_for_legal" not in bulk_actions(client)


@pytest.mark.parametrize(
    "needs", [{"needs_time": Needs.REQUIRED}, {"needs_comment": Needs.REQUIRED}]
)
def test_a_bulk_transition_cannot_need_what_a_bulk_action_cannot_ask_for(needs):
    with pytest.raises(ValueError, match="bulk"):
        Transition("flag", "Flag", "Flagged", services.article_approve, bulk=True, **needs)


def test_registry_entries_cannot_be_changed_in_place():
    with pytest.raises(dataclasses.FrozenInstanceError):
        transitions.REGISTRY[0].label = "Send it"


def test_the_article_picker_popup_offers_no_bulk_transition(client):
    client.force_login(UserFactory(roles=[roles.EDITOR]))

    response = client.get(reverse("admin:articles_article_changelist"), {"_popup": "1"})

    assert response.status_code == 200
    assert response.context["action_form"] is None
