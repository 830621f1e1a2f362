"""Scenic's own schemathesis check, loaded through SCHEMATHESIS_HOOKS by gateway/tests/schemathesis.rs.

`scenic_not_a_server_error` replaces schemathesis' `not_a_server_error`: every 5xx is a failure,
except a scenario failure, which the scenario documents declare (`decisions.md` section 2): a 500
of a scenario operation (tag `Nussknacker`) whose body is the documented error array with at
least one entry naming the node that failed (`nodeId`). A scenario can genuinely fail on some
schema-valid input (an amount so large that the computed total has no JSON number, say); a 500
from the server itself (a panic, an internal error, an interrupted deployment) names no node,
and 502, 503 and 504 are never a scenario's answer to one small request.

Every tolerated 500 is appended, one line each, to the file named by SCENIC_ST_TOLERATED (when
set), so that the test can report them.
"""

import json
import os
import threading

import schemathesis

SCENARIO_TAG = "Nussknacker"
_lock = threading.Lock()


def _names_a_node(response):
    try:
        body = response.json()
    except Exception:
        return False
    if not isinstance(body, list) or not body:
        return False
    if not all(isinstance(e, dict) and "message" in e and "nodeId" in e for e in body):
        return False
    return any(isinstance(e.get("nodeId"), str) and e["nodeId"] for e in body)


def _record(case, response):
    path = os.environ.get("SCENIC_ST_TOLERATED")
    if not path:
        return
    try:
        message = json.dumps(response.json()[0].get("message"))[:300]
    except Exception:
        message = "?"
    with _lock, open(path, "a", encoding="utf-8") as f:
        f.write(f"{case.operation.label} 500 {message}\n")


@schemathesis.check
def scenic_not_a_server_error(ctx, response, case):
    """No 5xx, but a documented scenario failure: a 500 naming the node that failed."""
    status = response.status_code
    if status < 500:
        return None
    raw = case.operation.definition.raw
    if not isinstance(raw, dict):
        raw = {}
    tags = raw.get("tags") or []
    documented = "500" in (raw.get("responses") or {})
    if status == 500 and SCENARIO_TAG in tags and documented and _names_a_node(response):
        _record(case, response)
        return None
    raise AssertionError(
        f"Server error {status} (not a documented scenario failure naming its node): "
        f"{response.text_lossy()[:500]}"
    )
