"""The jinja2 environment for review templates (``dsl/review/templates/*.md.j2``).

jinja2 is imported on first use only, so ``import dsl.review`` stays cheap for
commands that never render Markdown.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from dsl.review.location import where_text
from dsl.review.markdown import cell, code, code_cell, plain

if TYPE_CHECKING:
    import jinja2


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The shared environment: strict undefined names, no HTML escaping, stable whitespace."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dsl.review", "templates"),
        autoescape=False,  # Markdown, escaped by the filters below
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(code=code, cell=cell, code_cell=code_cell, plain=plain, where=where_text)
    return env


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with ``context``."""
    return environment().get_template(template).render(**context)
