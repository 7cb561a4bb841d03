import sys; sys.path.insert(0,'.')
from tests.testing.test_testing_api import *
with Engine() as e:
    doc = machine(
        Slow=task(TimeoutSeconds=30, Catch=[{"ErrorEquals": ["States.Timeout"], "Next": "TimedOut"}]),
        Broken=task(),
        TimedOut={"Type": "Pass", "Next": "Broken"},
    )
    r = e.run(doc, {}, mocks={"Slow": Return({"Item": {}}, seconds=31), "Broken": Throw("Oops", "it broke")})
    print(r.status, r.error, r.cause, r.path, r.calls)
    for h in r.history: print(h['type'], {k:v for k,v in h.items() if k.endswith('Details')})
