"""English formats for the newsroom (FORMAT_MODULE_PATH): Django's own, except that a moment
carries its zone's abbreviation, so a time Django renders itself in the admin (the object
history, a date-time column or read-only field) reads like the newsroom's other times:
`Dec 5, 2026, 2:05 PM EST`. The format is core.localtime's, which adds the UTC offset."""

from core.localtime import DATETIME_FORMAT  # noqa: F401  (read by django.utils.formats)
