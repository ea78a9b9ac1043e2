"""Service principal OAuth secrets through AccountClient: create, list (several pages), delete.
(M2M login with such a secret is in test_oauth.py.)"""
from datetime import datetime, timedelta

import pytest
from conftest import WireLog, uniq
from test_apps import assert_token_paging


def parse_time(s):
    assert s, "timestamp missing"
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


@pytest.fixture
def sp(account):
    sp = account.service_principals.create(display_name=uniq("secrets-sp"), active=True)
    yield sp
    account.service_principals.delete(sp.id)


def test_secrets_create_list_delete(account, sp):
    lifetimes = {"7776000s": timedelta(days=90), "31536000s": timedelta(days=365), "86400s": timedelta(days=1)}
    created = []
    for lifetime, delta in lifetimes.items():
        s = account.service_principal_secrets.create(service_principal_id=sp.id, lifetime=lifetime)
        assert s.id and s.secret, "create must return id and the plaintext secret"
        assert s.secret_hash
        assert s.status == "ACTIVE"
        span = parse_time(s.expire_time) - parse_time(s.create_time)
        assert abs(span - delta) < timedelta(minutes=1), f"lifetime {lifetime}: expire-create = {span}"
        created.append(s)
    default = account.service_principal_secrets.create(service_principal_id=sp.id)
    span = parse_time(default.expire_time) - parse_time(default.create_time)
    assert abs(span - timedelta(days=730)) < timedelta(minutes=1), f"default lifetime: {span} (want 730 days)"
    created.append(default)
    assert len({s.secret for s in created}) == len(created)

    with WireLog(account) as log:
        listed = list(account.service_principal_secrets.list(service_principal_id=sp.id, page_size=2))
    assert_token_paging(log, "/credentials/secrets", 2)
    ids = [s.id for s in listed]
    assert sorted(ids) == sorted(s.id for s in created)
    for raw in log.matching("GET", "/credentials/secrets"):
        for item in raw.json().get("secrets") or []:
            assert "secret" not in item, "the plaintext secret must never be listed"
    by_id = {s.id: s for s in listed}
    for s in created:
        got = by_id[s.id]
        assert (got.secret_hash, got.create_time, got.expire_time, got.status) == \
            (s.secret_hash, s.create_time, s.expire_time, s.status)

    account.service_principal_secrets.delete(service_principal_id=sp.id, secret_id=created[0].id)
    remaining = [s.id for s in account.service_principal_secrets.list(service_principal_id=sp.id)]
    assert sorted(remaining) == sorted(s.id for s in created[1:])
    for s in created[1:]:
        account.service_principal_secrets.delete(service_principal_id=sp.id, secret_id=s.id)
    assert list(account.service_principal_secrets.list(service_principal_id=sp.id)) == []


def test_secret_scopes_round_trip(account, sp):
    s = account.service_principal_secrets.create(service_principal_id=sp.id, lifetime="3600s",
                                                 scopes=["all-apis"])
    try:
        listed = {x.id: x for x in account.service_principal_secrets.list(service_principal_id=sp.id)}
        assert listed[s.id].scopes == ["all-apis"]
    finally:
        account.service_principal_secrets.delete(service_principal_id=sp.id, secret_id=s.id)
