"""The semaphore system's local run (``python deploy.py --local``): deploy, run, measure, report.

Built on the generic local engine (:mod:`local`: moto with the fidelity shims); this package
knows the system: its stack, its lock item, its promises (never more than the limit, no leaked
slot) and its timeline.
"""

# How a local run starts its executions (see semaphore.local_run.run.run_local); here so that the command
# line can list them without importing moto.
DRIVERS = ("direct", "test-machine")
