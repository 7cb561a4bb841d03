import sys, time, statistics
sys.path.insert(0,'.')
from benchmarks.testing import PASS_CHAIN, raw_run
from dsl.testing import Engine, coverage
from dsl.testing import engine as eng
from local import instrument
def med(f, n=60):
    xs=[]
    for _ in range(n):
        t=time.perf_counter(); f(); xs.append(time.perf_counter()-t)
    return statistics.median(xs)*1000
with Engine() as e:
    m={}
    for _ in range(5): e.run(PASS_CHAIN, {}); raw_run(e, PASS_CHAIN, m)
    print("raw", med(lambda: raw_run(e, PASS_CHAIN, m)))
    print("testing", med(lambda: e.run(PASS_CHAIN, {})))
    orig_add = coverage.SESSION.add
    coverage.SESSION.add = lambda *a, **k: None
    print("no coverage", med(lambda: e.run(PASS_CHAIN, {})))
    instrument._json = lambda v: v
    print("no coverage, no copies", med(lambda: e.run(PASS_CHAIN, {})))
    orig_result = eng._result
    eng._result = lambda *a: None
    print("+ no result", med(lambda: e.run(PASS_CHAIN, {})))
    print("raw", med(lambda: raw_run(e, PASS_CHAIN, m)))
