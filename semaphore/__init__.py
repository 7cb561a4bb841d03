"""The concurrency-controller application, built on the ``dsl`` library.

- :mod:`semaphore.pattern`: the Semaphore pattern (one DynamoDB lock item, FIFO hand-off), its
  cleanup and reconciler workflows and their rules; :mod:`semaphore.pattern_items`: the
  one-item-per-holder layout.
- :mod:`semaphore.verify`: the static lock verifier (``python -m dsl verify``).
- :mod:`semaphore.checks`: the build check that runs the verifier on the workflows that hold a lock,
  named in ``pyproject.toml`` under ``[tool.sfn-dsl] checks``.

The library (``dsl``) never imports this package.
"""

LOCK_CHECK = "lock"
"""The check's name: ``Workflow(..., checks=(LOCK_CHECK,))`` has a workflow verified as a lock."""
