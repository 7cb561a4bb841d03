"""Reference paths with an index inside (`$.Messages[0].Body`).

AWS: a definite path (no wildcard, slice, filter, union or deep scan) selects one value:
`$.Messages[0].Body` is the first message's body.
moto 5.2.5: `extract_json` wraps the value in a list whenever the match's parent step is
an index (a workaround for moto issue 7825), so the same path yields `["..."]`.
Shim: definite paths return the single value they select; indefinite paths keep moto's
list semantics.
"""

from __future__ import annotations

import re
from typing import Any

from moto.stepfunctions.parser.asl.utils import json_path

from local.shims._patch import Undo, replace_function

# Anything that can select more than one value: `*`, `..`, a filter `?(`, a slice `a:b`,
# a union `[0,1]` or `['a','b']`.
_INDEFINITE = re.compile(r"\*|\.\.|\?\(|\[[^\]]*[:,][^\]]*\]")


def is_definite(path: str) -> bool:
    """Whether ``path`` can select at most one value."""
    return _INDEFINITE.search(path) is None


def install() -> Undo:
    """Make definite reference paths yield their single value."""
    original = json_path.extract_json

    def extract_json(path: str, data: Any) -> Any:
        if not is_definite(path):
            return original(path, data)
        # moto's parser, looked up per call: the one local.server_speed caches when installed.
        matches = json_path.parse(path).find(data)  # type: ignore[attr-defined]
        if not matches:
            raise json_path.NoSuchJsonPathError(json_path=path, data=data)
        return matches[0].value

    return replace_function(original, extract_json, package="moto.stepfunctions.parser")
