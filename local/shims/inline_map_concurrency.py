"""Inline Map concurrency.

AWS: an inline Map state runs at most 40 iterations at once, also with `MaxConcurrency` 0
("no limit") or above 40; more parallelism needs a distributed Map.
moto 5.2.5: `InlineIterationComponent._eval_body` starts one worker per item when
`MaxConcurrency` is 0, so a 100-item Map starts 100 children at once locally but at most
40 on AWS (the original test run never puts more than 40 executions in contention).
Shim: inline Maps get at most 40 workers; distributed Maps are left alone.
"""

from __future__ import annotations

from typing import Any

from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.distributed_iteration_component import (
    DistributedIterationComponentEvalInput,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.inline_iteration_component import (
    InlineIterationComponent,
)

from local.shims._patch import Undo, replace_attr

INLINE_MAP_MAX_CONCURRENCY = 40


def install() -> Undo:
    """Cap inline Map iterations running at once at 40."""
    original = InlineIterationComponent._eval_body

    def eval_body(self: Any, env: Any) -> None:
        eval_input = env.stack[-1]
        if not isinstance(eval_input, DistributedIterationComponentEvalInput):
            unlimited = eval_input.max_concurrency == 0
            if eval_input.max_concurrency > INLINE_MAP_MAX_CONCURRENCY or (
                    unlimited and len(eval_input.input_items) > INLINE_MAP_MAX_CONCURRENCY):
                eval_input.max_concurrency = INLINE_MAP_MAX_CONCURRENCY
        original(self, env)

    return replace_attr(InlineIterationComponent, "_eval_body", eval_body)
