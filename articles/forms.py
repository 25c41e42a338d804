"""The article admin's form: what the model's field validators cannot check themselves,
and the writing widgets (articles/widgets.py)."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime

from core.localtime import zone_hint

from .tagging import tag_names_validate
from .transitions import Needs
from .widgets import CountedTextarea, CountedTextInput, MarkdownTextarea
from .writing import HEADLINE_LIMIT, SEO_DESCRIPTION_LIMIT, SEO_TITLE_LIMIT, SOCIAL_TITLE_LIMIT


class ArticleForm(forms.ModelForm):
    class Meta:
        # No model or fields here: the admin builds the form for Article from its fieldsets.
        widgets = {
            "headline": CountedTextInput(limit=HEADLINE_LIMIT),
            "body": MarkdownTextarea(),
            "seo_title": CountedTextInput(limit=SEO_TITLE_LIMIT, fallback_from=["headline"]),
            "seo_description": CountedTextarea(
                limit=SEO_DESCRIPTION_LIMIT, fallback_from=["lead"]
            ),
            "social_title": CountedTextInput(
                limit=SOCIAL_TITLE_LIMIT, fallback_from=["seo_title", "headline"]
            ),
        }
        help_texts = {
            "headline": f"Search engines' structured data shows up to {HEADLINE_LIMIT} "
            "characters; a longer headline is cut there (or replaced by the SEO title, "
            "if that fits).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An empty override shows, greyed, the text that stands in for it.
        for field in self.fields.values():
            sources = getattr(field.widget, "fallback_from", ())
            texts = [self[name].value() for name in sources if name in self.fields]
            field.widget.attrs["placeholder"] = next((t.strip() for t in texts if t), "")

    def clean_tags(self):
        # Tags are django-taggit's rows, outside our models' validators; their names
        # reach feeds, sitemaps and pages like any headline.
        names = self.cleaned_data["tags"]
        tag_names_validate(names)
        return names


class TransitionForm(forms.Form):
    """The time and comment a transition takes, as its registry entry says."""

    at = forms.SplitDateTimeField(label="Time", widget=AdminSplitDateTime, required=False)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        if transition.needs_time is Needs.NO:
            del self.fields["at"]
        else:
            self.fields["at"].required = transition.needs_time is Needs.REQUIRED
            self.fields["at"].help_text = " ".join(
                filter(None, [zone_hint(), transition.time_help])
            )
        self.fields["comment"].required = transition.needs_comment is Needs.REQUIRED
        self.fields["comment"].help_text = transition.comment_help
