"""Production code uses Django's public API only (issue 13).

A Django release may change its private query machinery without notice: code that read
a queryset's result cache or a compiler's row plan would then break silently. The names
below are the ones such code needs; none may appear outside the tests.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not the project's production code: the tests, and what is installed or generated.
SKIPPED = {"tests", ".venv", "node_modules", "var", ".git"}
PRIVATE_QUERY_MACHINERY = re.compile(
    r"\b(_iterable_class|klass_info|get_related_populators|_result_cache"
    r"|_prefetched_objects_cache|_prefetch_done|_prefetch_related_lookups"
    r"|_known_related_objects|get_compiler|_should_delete_form)\b"
)


def production_modules():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIPPED.intersection(path.relative_to(ROOT).parts):
            yield path


def private_uses(path):
    """The lines of `path` that name a private part of Django's query machinery."""
    return [
        (number, line.strip())
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if PRIVATE_QUERY_MACHINERY.search(line)
    ]


def test_production_code_reads_none_of_djangos_private_query_machinery():
    modules = list(production_modules())
    assert ROOT / "articles" / "views.py" in modules  # the walk does reach the apps

    found = {str(path.relative_to(ROOT)): private_uses(path) for path in modules}
    assert {path: lines for path, lines in found.items() if lines} == {}


def test_the_check_catches_a_private_name(tmp_path):
    loader = tmp_path / "loader.py"
    loader.write_text("rows = list(queryset)\nqueryset._result_cache = rows\n")

    assert private_uses(loader) == [(2, "queryset._result_cache = rows")]
