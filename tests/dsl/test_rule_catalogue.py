"""One Rule type for validate and verify: declared once, in one catalogue per tool."""

from __future__ import annotations

import pytest

from dsl.rules import Catalogue, Rule
from dsl.validate import RULES as VALIDATE_RULES
from semaphore.verify import RULES as VERIFY_RULES


def test_both_tools_catalogue_the_same_rule_type() -> None:
    assert all(isinstance(rule, Rule) for rule in [*VALIDATE_RULES.values(), *VERIFY_RULES.values()])
    assert VALIDATE_RULES["ASL-ERR-002"].severity == "warning"
    assert VERIFY_RULES["LOCK-RELEASE"].severity == "error"
    assert "SCHEMA" in VALIDATE_RULES and len(VALIDATE_RULES) == 41


def test_validate_rules_say_where_aws_documents_them() -> None:
    undocumented = [rule.id for rule in VALIDATE_RULES.values() if not rule.docs]
    assert undocumented == ["ASL-PLACEHOLDER-001"]  # a rule of this project's deploy step, not of AWS
    assert all(rule.docs.startswith("https://docs.aws.amazon.com/step-functions/")
               for rule in VALIDATE_RULES.values() if rule.docs)


def test_a_rule_is_declared_once_with_a_well_formed_id() -> None:
    catalogue = Catalogue("test")
    rule = catalogue.rule("X-001", "error", "x")
    assert catalogue["X-001"] is rule and list(catalogue) == ["X-001"]
    assert rule.at("/States/A", "m").severity == "error"
    with pytest.raises(ValueError, match="declared twice"):
        catalogue.rule("X-001", "warning", "again")
    with pytest.raises(ValueError, match="does not match"):
        catalogue.rule("x 1", "error", "bad id")
    with pytest.raises(ValueError, match="severity"):
        catalogue.rule("X-002", "fatal", "bad severity")  # type: ignore[arg-type]


def test_verify_refuses_an_uncatalogued_id() -> None:
    from semaphore.verify.rules import finding

    with pytest.raises(KeyError):
        finding("LOCK-NOPE", "/", "m")
