"""The local engine: the whole system on this machine (``python deploy.py --local``).

An embedded moto server executes the generated state machines for real; fidelity shims
(:mod:`local.shims`) close the measured gaps between moto 5.2.6 and AWS; instruments record
what happened (Lambda invocations, DynamoDB requests and slot holders, status-change events)
and inject faults; :func:`local.run.run_local` deploys, runs and reports.
"""
