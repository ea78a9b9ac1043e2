"""The fake's throttling answers must be ones the SDK retries: 429 + integer Retry-After +
a Databricks error body (reference §11.3)."""
import pytest
from conftest import FakeServer, WireLog
from databricks.sdk import AccountClient
from databricks.sdk.core import Config


@pytest.fixture(scope="module")
def throttled(log_dir):
    srv = FakeServer("fake-rate-limited", ["--rate-limit", "4"], log_dir).start()
    yield srv
    srv.stop()


def test_sdk_retries_rate_limited_calls(throttled):
    cfg = Config(host=throttled.host, account_id=throttled.account_id, token=throttled.token,
                 auth_type="pat", retry_timeout_seconds=40)
    a = AccountClient(config=cfg)
    with WireLog(a) as log:
        for _ in range(12):
            assert isinstance(list(a.workspaces.list()), list)
    limited = [r for r in log.entries if r.status_code == 429]
    assert limited, "12 back-to-back calls at --rate-limit 4 should have met at least one 429"
    for r in limited:
        ra = r.headers.get("Retry-After")
        assert ra is not None and ra.strip().isdigit(), f"Retry-After must be integer seconds, got {ra!r}"
        body = r.json()
        assert body.get("error_code") in ("REQUEST_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED", "TOO_MANY_REQUESTS"), body
