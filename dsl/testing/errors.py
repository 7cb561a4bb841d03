"""Errors of ``dsl.testing``: each one line, each with a stable code."""

from __future__ import annotations

from dsl.errors import CodedError


class TestingError(CodedError):
    """A test cannot run as written: bad mock, bad input, unmocked service (code ``TEST``)."""

    __test__ = False  # not a pytest test class
    code = "TEST"
    code_in_text = True


class MockError(TestingError):
    """A mock is malformed, exhausted or refused by the response-shape check (code ``TEST-MOCK``)."""

    code = "TEST-MOCK"


class UnmockedTaskError(TestingError):
    """A Task calls a service the local engine does not emulate and has no mock (code ``TEST-UNMOCKED``)."""

    code = "TEST-UNMOCKED"


class MockConfigError(TestingError):
    """A MockConfigFile is malformed or does not match the workflow (code ``TEST-CONFIG``)."""

    code = "TEST-CONFIG"
