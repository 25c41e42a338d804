"""The article admin's form: what the model's field validators cannot check themselves."""

from django import forms

from .tagging import tag_names_validate


class ArticleForm(forms.ModelForm):
    def clean_tags(self):
        # Tags are django-taggit's rows, outside our models' validators; their names
        # reach feeds, sitemaps and pages like any headline.
        names = self.cleaned_data["tags"]
        tag_names_validate(names)
        return names
