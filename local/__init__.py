"""The local engine: moto's real executor and emulators on this machine, closer to AWS.

An embedded moto server (:mod:`local.server`) executes state machines for real; the patches of
:mod:`local.patches` close the measured gaps between moto 5.2.6 and AWS (:mod:`local.shims`) and
make it fast; instruments record what happened (Lambda invocations, DynamoDB requests,
status-change events) and inject faults. It knows no particular workflow: :mod:`dsl.testing`
runs any workflow on it, and the semaphore system's run is :mod:`semaphore.local_run`.
"""
