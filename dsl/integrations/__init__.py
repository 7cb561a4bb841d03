"""Typed helpers for AWS service integrations; each returns a configured :class:`~dsl.states.Task`.

For any other service use ``Task(name, resource="arn:aws:states:::...")`` directly.
"""
