"""The article form's writing widgets: fields that show their length against a soft limit,
and the Markdown body with its word count, reading time and (with JavaScript) toolbar.

The counts are rendered with the form, so a writer without JavaScript sees them for the
text as loaded; static/admin/js/writer-tools.js keeps them live and adds the toolbar.
The plain textarea stays the field: what is posted is the Markdown as typed.
"""

from django.contrib.admin.widgets import AdminTextareaWidget, AdminTextInputWidget
from django.utils.html import format_html

from .writing import body_stats_text, character_count, length_text


class WriterToolsMedia:
    class Media:
        js = ["admin/js/writer-tools.js"]
        css = {"all": ["admin/css/writer-tools.css"]}


def _described_by(attrs, extra_id):
    """The field's own descriptions (help text, errors) and then ours."""
    return " ".join(filter(None, [attrs.get("aria-describedby"), extra_id]))


class CountedMixin:
    """Renders `<output>`-like text after the field: `42 / 110 characters`."""

    def __init__(self, *, limit, fallback_from=(), attrs=None):
        super().__init__(attrs)
        self.limit = limit
        # The fields whose text is used, first non-empty one first, when this one is empty:
        # the placeholder shows that text (ArticleForm), kept in step as they are typed.
        self.fallback_from = tuple(fallback_from)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        field_id = attrs.get("id", f"id_{name}")
        count_id = f"{field_id}_count"
        attrs["aria-describedby"] = _described_by(attrs, count_id)
        if self.fallback_from:
            attrs["data-fallback-from"] = " ".join(f"id_{name}" for name in self.fallback_from)
        text = "" if value is None else str(value)
        over = character_count(text) > self.limit
        return super().render(name, value, attrs, renderer) + format_html(
            '<p class="writer-count{}" id="{}" data-count-for="{}" data-limit="{}">{}</p>',
            " writer-count--over" if over else "",
            count_id,
            field_id,
            self.limit,
            length_text(text, self.limit),
        )


class CountedTextInput(CountedMixin, WriterToolsMedia, AdminTextInputWidget):
    pass


class CountedTextarea(CountedMixin, WriterToolsMedia, AdminTextareaWidget):
    def __init__(self, *, rows=3, **kwargs):
        super().__init__(**kwargs)
        self.attrs["rows"] = rows


class MarkdownTextarea(WriterToolsMedia, AdminTextareaWidget):
    """A tall, resizable textarea for the Markdown body, its word count and reading time
    beneath it; the script puts the formatting toolbar above it."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 24, "data-markdown-toolbar": "", **(attrs or {})})
        self.attrs["class"] = f"{self.attrs['class']} writer-body"

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        field_id = attrs.get("id", f"id_{name}")
        stats_id = f"{field_id}_stats"
        attrs["aria-describedby"] = _described_by(attrs, stats_id)
        return super().render(name, value, attrs, renderer) + format_html(
            '<p class="writer-stats" id="{}" data-stats-for="{}">{}</p>',
            stats_id,
            field_id,
            body_stats_text("" if value is None else str(value)),
        )
