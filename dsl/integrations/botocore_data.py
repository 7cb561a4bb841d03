"""botocore's bundled service models, read from its data folder without importing botocore.

``import botocore.loaders`` costs about 50-65 ms (it pulls in botocore's HTTP and credential
machinery); a command that checks one file needs two JSON files. This reader finds the folder
with ``importlib.util.find_spec`` and follows the loader's rules, so the models are the ones
``botocore.loaders.create_loader().load_service_model(name, "service-2")`` returns:

- search ``~/.aws/models`` first, then botocore's ``data``;
- a service's API version is the greatest folder name holding ``service-2.json`` or
  ``service-2.json.gz`` in any search path;
- the model is the first ``service-2`` found in that version (``.json`` before ``.json.gz``), with
  the ``merge`` block of ``service-2.sdk-extras`` merged in (EKS's and Secrets Manager's
  ``serviceId``, for instance).

tests/integrations/test_botocore_data.py compares both readers.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
import os
from collections.abc import Iterator
from typing import Any

_SERVICE = "service-2"
_EXTRAS = "service-2.sdk-extras"
_EXTENSIONS = (".json", ".json.gz")  # botocore's order


@functools.lru_cache(maxsize=1)
def search_paths() -> tuple[str, ...]:
    """Where models are looked for, in order: the user's own, then botocore's bundled ones."""
    spec = importlib.util.find_spec("botocore")  # finds the package; does not import it
    packages = list(spec.submodule_search_locations or []) if spec else []
    candidates = [os.path.join(os.path.expanduser("~"), ".aws", "models"), *(os.path.join(p, "data") for p in packages)]
    return tuple(p for p in candidates if os.path.isdir(p))


def _file(stem: str) -> str | None:
    return next((stem + ext for ext in _EXTENSIONS if os.path.isfile(stem + ext)), None)


def _versions(service: str) -> Iterator[str]:
    for root in search_paths():
        folder = os.path.join(root, service)
        if os.path.isdir(folder):
            yield from (v for v in os.listdir(folder) if _file(os.path.join(folder, v, _SERVICE)))


def latest_version(service: str) -> str | None:
    """The newest API version with a service model, as botocore picks it; None for no such service."""
    return max(_versions(service), default=None)


def _read(stem: str) -> dict[str, Any] | None:
    for root in search_paths():
        path = _file(os.path.join(root, stem))
        if path is not None:
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rb") as handle:
                loaded: dict[str, Any] = json.loads(handle.read().decode("utf-8"))
            return loaded
    return None


def service_model(service: str) -> dict[str, Any] | None:
    """botocore's ``service-2`` model of ``service`` (botocore's name: ``stepfunctions``), or None."""
    if not service or "/" in service or os.sep in service or service.startswith("."):
        return None
    version = latest_version(service)
    if version is None:
        return None
    model = _read(os.path.join(service, version, _SERVICE))
    extras = _read(os.path.join(service, version, _EXTRAS))
    if model is not None and extras is not None and isinstance(extras.get("merge"), dict):
        _deep_merge(model, extras["merge"])
    return model


def service_names() -> tuple[str, ...]:
    """Every service with a model, sorted (botocore's ``list_available_services("service-2")``)."""
    names: set[str] = set()
    for root in search_paths():
        for service in os.listdir(root):
            folder = os.path.join(root, service)
            if os.path.isdir(folder) and any(_file(os.path.join(folder, v, _SERVICE)) for v in os.listdir(folder)):
                names.add(service)
    return tuple(sorted(names))


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    # botocore's rule for sdk-extras: objects merge key by key, anything else replaces.
    for key, value in extra.items():
        if isinstance(base.get(key), dict) and isinstance(value, dict):
            _deep_merge(base[key], value)
        else:
            base[key] = value
