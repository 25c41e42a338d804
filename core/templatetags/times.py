from django import template

from core.localtime import with_offset

register = template.Library()

# `{{ revision.created_at|with_offset }}`: a moment in the newsroom's zone, with its
# abbreviation and UTC offset, written exactly as the admin's Python-built columns write it.
register.filter("with_offset", with_offset)
