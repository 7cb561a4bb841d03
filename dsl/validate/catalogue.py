"""The validator's rule catalogue: every rule id it reports, with what it means.

Each rule is declared once, beside its check (``RULES.rule(...)`` in the module that reports it);
:mod:`dsl.validate.rules` imports every rule module, so ``dsl.validate.RULES`` is complete. The CLI
prints it with ``--list-rules``; the tests check that each rule has a failing and a passing case.
"""

from __future__ import annotations

from dsl.rules import Catalogue

RULES = Catalogue("python -m dsl validate")
