"""YAML for ASL files and CloudFormation / SAM templates.

A ``yaml.SafeLoader`` subclass that reads the templates' short-form tags
(``!Ref X`` -> ``{"Ref": "X"}``, ``!Sub s`` -> ``{"Fn::Sub": s}``,
``!GetAtt A.B`` -> ``{"Fn::GetAtt": ["A", "B"]}``, ...) and keeps timestamps
as the strings they are in ASL (``Timestamp: 2026-01-01T00:00:00Z``).
"""

from __future__ import annotations

from typing import Any

import yaml

# Short-form tags CloudFormation documents; each becomes {"Fn::<Name>": value}.
_FUNCTIONS = ("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select",
              "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "ToJsonString",
              "Length")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class TemplateLoader(yaml.SafeLoader):
    """Safe YAML with CloudFormation's short-form tags; timestamps stay strings."""


TemplateLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _node_value(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    raise yaml.constructor.ConstructorError(None, None, f"unexpected node {node.tag}",
                                            node.start_mark)


def _function(name: str) -> Any:
    key = "Ref" if name == "Ref" else "Condition" if name == "Condition" else f"Fn::{name}"

    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        value = _node_value(loader, node)
        if name == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {key: value}

    return construct


for _name in (*_FUNCTIONS, "Ref", "Condition"):
    TemplateLoader.add_constructor(f"!{_name}", _function(_name))


def load(text: str) -> Any:
    """Parse YAML ``text`` (raises ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=TemplateLoader)  # a SafeLoader subclass
