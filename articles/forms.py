"""The article admin's form: what the model's field validators cannot check themselves,
and the writing widgets (articles/widgets.py)."""

from django import forms

from .tagging import tag_names_validate
from .widgets import CountedTextInput, MarkdownTextarea
from .writing import HEADLINE_LIMIT


class ArticleForm(forms.ModelForm):
    class Meta:
        # No model or fields here: the admin builds the form for Article from its fieldsets.
        widgets = {
            "headline": CountedTextInput(limit=HEADLINE_LIMIT),
            "body": MarkdownTextarea(),
        }
        help_texts = {
            "headline": f"Search engines' structured data shows up to {HEADLINE_LIMIT} "
            "characters; a longer headline is cut there (or replaced by the SEO title, "
            "if that fits).",
        }

    def clean_tags(self):
        # Tags are django-taggit's rows, outside our models' validators; their names
        # reach feeds, sitemaps and pages like any headline.
        names = self.cleaned_data["tags"]
        tag_names_validate(names)
        return names
