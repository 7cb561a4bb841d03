"""Map states: inline versus distributed, and item reader settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dsl.document import DocState, Document
from dsl.findings import Finding
from dsl.validate.catalogue import RULES
from dsl.validate.rules.base import Options, finding, quoted

DISTRIBUTED_ONLY_FIELD = RULES.rule(
    "ASL-MAP-001", "error",
    "a distributed-only field (ItemReader, ItemBatcher, ResultWriter, ToleratedFailure..., Label) in an inline Map",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html")
EXECUTION_TYPE = RULES.rule(
    "ASL-MAP-002", "error",
    "ProcessorConfig.ExecutionType missing in a distributed Map, or set in an inline one",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html")
CSV_SETTINGS = RULES.rule(
    "ASL-MAP-003", "error",
    "ReaderConfig CSV settings do not fit together",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html")

DISTRIBUTED_ONLY = (
    "ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label",
)
CSV_FIELDS = ("CSVHeaderLocation", "CSVHeaders", "CSVDelimiter")


def check(machine: Document, options: Options) -> Iterator[Finding]:
    """Map configuration findings."""
    for state in machine.states:
        if state.type == "Map":
            yield from _mode(state)
            yield from _reader(state)


def _mode(state: DocState) -> Iterator[Finding]:
    processor = state.body.get("ItemProcessor")
    config = processor.get("ProcessorConfig") if isinstance(processor, dict) else None
    config = config if isinstance(config, dict) else {}
    distributed = config.get("Mode") == "DISTRIBUTED"
    config_parts = (*state.parts, "ItemProcessor", "ProcessorConfig")
    if distributed and "ExecutionType" not in config:
        yield finding(EXECUTION_TYPE, config_parts,
                      f"distributed Map {quoted(state.name)} needs ExecutionType: STANDARD or EXPRESS")
    if not distributed and "ExecutionType" in config:
        yield finding(EXECUTION_TYPE, (*config_parts, "ExecutionType"),
                      f"ExecutionType applies to distributed Maps only; Map {quoted(state.name)} is inline "
                      "(set Mode: DISTRIBUTED or remove ExecutionType)")
    if not distributed:
        for key in DISTRIBUTED_ONLY:
            if key in state.body:
                yield finding(DISTRIBUTED_ONLY_FIELD, (*state.parts, key),
                              f"{key} needs a distributed Map; Map {quoted(state.name)} is inline "
                              "(set ItemProcessor.ProcessorConfig.Mode to DISTRIBUTED)")


def _reader(state: DocState) -> Iterator[Finding]:
    reader = state.body.get("ItemReader")
    config: Any = reader.get("ReaderConfig") if isinstance(reader, dict) else None
    if not isinstance(config, dict):
        return
    parts = (*state.parts, "ItemReader", "ReaderConfig")
    location = config.get("CSVHeaderLocation")
    if location == "GIVEN" and "CSVHeaders" not in config:
        yield finding(CSV_SETTINGS, parts, "CSVHeaderLocation GIVEN needs CSVHeaders, the list of column names")
    if location == "FIRST_ROW" and "CSVHeaders" in config:
        yield finding(CSV_SETTINGS, (*parts, "CSVHeaders"),
                      "CSVHeaders is only used with CSVHeaderLocation GIVEN; the first row holds the headers here")
    input_type = config.get("InputType")
    if isinstance(input_type, str) and input_type != "CSV":
        for key in CSV_FIELDS:
            if key in config:
                yield finding(CSV_SETTINGS, (*parts, key), f"{key} applies to InputType CSV only; got {input_type}")
