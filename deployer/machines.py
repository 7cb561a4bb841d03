"""The state machines a deploy makes: one per workflow file of ``generated/``.

A workflow of the semaphore system keeps the names and relations of its catalogue row;
every other workflow is deployed alike, named after the workflow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from deployer import catalog

MACHINE_FILE_SUFFIX = ".asl.json"


@dataclass(frozen=True)
class Machine:
    """One state machine: its workflow (the file stem), its type, and its catalogue row if any."""

    workflow: str
    type: str = "STANDARD"
    spec: catalog.MachineSpec | None = None

    @property
    def file(self) -> str:
        return self.workflow + MACHINE_FILE_SUFFIX

    @property
    def key(self) -> str:
        """The logical key of its resources (``machine:<workflow>``, ``role:machine:<workflow>``, ...)."""
        return f"machine:{self.workflow}"


def workflow_of(file: str) -> str:
    """``my-flow.asl.json`` -> ``my-flow``."""
    return file.removesuffix(MACHINE_FILE_SUFFIX)


def system_machine(spec: catalog.MachineSpec) -> Machine:
    """The machine of a catalogue row (its type does not matter for names)."""
    return Machine(workflow_of(spec.file), spec=spec)


def machines_for(files: Iterable[str], types: Mapping[str, str] | None = None) -> tuple[Machine, ...]:
    """A machine per file: the system's first in the catalogue's creation order, then the rest by name."""
    types = types or {}
    present = set(files)
    system = [m for m in catalog.MACHINES if m.file in present]
    others = sorted(present - {m.file for m in system})
    return (*(Machine(workflow_of(m.file), types.get(m.file, "STANDARD"), m) for m in system),
            *(Machine(workflow_of(f), types.get(f, "STANDARD")) for f in others))
