"""The two hand-written semaphore families that tests read as ASL files.

``seed``: the original AWS sample in ``../shared/seed/statemachines`` (reference data
beside the clone; absent from a lone clone, where its tests skip). ``counter_lock``: the
project's own fixtures in ``tests/fixtures/counter_lock``, written in the original's style
with the original's defects, so that every property the seed shows is also shown
without it. Tests take a :class:`Sample` and refer to states by role, never by name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

COUNTER_LOCK = Path(__file__).resolve().parent / "fixtures" / "counter_lock"


@dataclass(frozen=True)
class Sample:
    """A semaphore, its cleanup and its test workflow: file names, state names by role (and a few
    attribute names and paths), and the numbers tests check (state count, retries, wait)."""

    name: str
    semaphore: str
    cleanup: str
    test_run: str
    names: dict[str, str]
    numbers: dict[str, int]

    def folder(self, request: pytest.FixtureRequest) -> Path:
        """Where the files are (the seed through ``seed_dir``, which skips when it is absent)."""
        if self.name == "seed":
            seed: Path = request.getfixturevalue("seed_dir")
            return seed
        return COUNTER_LOCK

    def load(self, request: pytest.FixtureRequest, file_name: str) -> dict[str, Any]:
        """One of the sample's files, parsed (a fresh copy)."""
        doc: dict[str, Any] = json.loads((self.folder(request) / file_name).read_text(encoding="utf-8"))
        return doc


SEED = Sample("seed", "dynamodb-semaphore.asl.json", "dynamodb-semaphore-cleanfromincomplete.asl.json",
              "test-run-semaphore.asl.json", {
                  "lock": "Get Lock", "acquire": "Acquire Lock", "init": "Initialize Lock Item",
                  "read": "Get Current Lock Record", "check": "Check If Lock Already Acquired",
                  "held": "Continue Because Lock Was Already Acquired", "wait": "Wait to Get Lock",
                  "work_box": "Do Work", "first_pass": "Here",
                  "work": "Run Lambda Function With Controlled Concurrency", "release": "Release Lock",
                  "end": "Success State", "cleanup_read": "Get Current Lock Item",
                  "cleanup_check": "Check If Lock Is Held", "cleanup_release": "Clean Up Lock",
                  "cleanup_end": "Success State", "run_list": "GenerateDefaultInput", "fan_out": "StartInParallel",
                  "child": "RunChildStateMachine", "after_child": "ClearResults",
                  # attributes and values the tests look at
                  "count": "currentlockcount", "limit": ":limit", "runs": "iterations",
                  "item_text": "$.lockinfo.currentlockitem.ItemString"},
              {"states": 15, "acquire_retries": 6, "release_retries": 5, "wait_seconds": 3, "child_retries_exists": 1,
               "child_retries_all": 12})
COUNTER = Sample("counter_lock", "counter-semaphore.asl.json", "counter-semaphore-cleanup.asl.json",
                 "counter-test-run.asl.json", {
                     "lock": "Take Slot", "acquire": "Claim Slot", "init": "Create Lock Item",
                     "read": "Read Lock Item", "check": "Already Holding?", "held": "Holding Already",
                     "wait": "Pause Before Retry", "work_box": "Guarded Work", "first_pass": "Prepare Input",
                     "work": "Call Worker", "release": "Give Back Slot", "end": "Finished",
                     "cleanup_read": "Look Up Holder", "cleanup_check": "Still Holding?",
                     "cleanup_release": "Free Ended Slot", "cleanup_end": "Cleanup Done", "run_list": "Make Run List",
                     "fan_out": "Fan Out", "child": "Start Semaphore Run", "after_child": "Forget Result",
                     "count": "holdercount", "limit": ":max", "runs": "runs", "item_text": "$.slotinfo.currentitem.ItemAsText"},
                 {"states": 12, "acquire_retries": 4, "release_retries": 3, "wait_seconds": 2, "child_retries_exists": 2,
                  "child_retries_all": 8})
SAMPLES = (SEED, COUNTER)
