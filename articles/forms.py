"""The article admin's form: what the model's field validators cannot check themselves."""

from django import forms
from taggit.models import Tag

from newsroom.validators import validate_tag_names


class ArticleForm(forms.ModelForm):
    def clean_tags(self):
        # Tags are django-taggit's rows, outside our models' validators; their names
        # reach feeds, sitemaps and pages like any headline.
        names = self.cleaned_data["tags"]
        validate_tag_names(names, Tag._meta.get_field("name").max_length, Tag().slugify)
        return names
