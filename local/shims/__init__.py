"""Fidelity shims: each module closes one measured gap between moto 5.2.6 and AWS.

Every shim patches a named moto internal, so each is tied to the pinned moto version: the
version is checked (:mod:`local.moto_pin`) before any shim module is imported, so another moto
gets one clear line rather than an ImportError from deep inside a shim.
"""

from __future__ import annotations

from local.moto_pin import check_moto_version

check_moto_version()

