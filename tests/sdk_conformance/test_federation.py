"""Federation policies (account-wide and per service principal) through AccountClient:
create, get, list (several pages), update with and without update_mask, delete.
(Token exchange against these policies is in test_oauth.py.)"""
import pytest
from conftest import WireLog, uniq
from databricks.sdk.errors import NotFound
from databricks.sdk.service import oauth2
from helpers import RsaKey
from test_apps import assert_token_paging

OUTPUT_FIELDS = ("name", "policy_id", "uid", "create_time", "update_time", "service_principal_id")


def oidc(issuer, audiences, **kw):
    return oauth2.OidcFederationPolicy(issuer=issuer, audiences=audiences, **kw)


def assert_same_policy(a: oauth2.FederationPolicy, b: oauth2.FederationPolicy):
    assert a.as_dict() == b.as_dict()


def test_account_federation_policy_crud(account):
    acct = account.config.account_id
    key = RsaKey("acct-crud")
    tag = uniq("acct-pol")
    issuer = f"https://{tag}.idp.example.test"
    created = []
    for i in range(5):
        pid = f"{tag}-{i}"
        p = account.federation_policy.create(policy_id=pid, policy=oauth2.FederationPolicy(
            description=f"policy {i}",
            oidc_policy=oidc(issuer, [f"aud-{i}"], subject_claim="email", jwks_json=key.jwks_json())))
        assert p.policy_id == pid
        assert p.name == f"accounts/{acct}/federationPolicies/{pid}"
        assert p.uid and p.create_time and p.update_time
        assert p.description == f"policy {i}"
        assert p.oidc_policy.issuer == issuer
        assert p.oidc_policy.audiences == [f"aud-{i}"]
        assert p.oidc_policy.subject_claim == "email"
        assert p.oidc_policy.jwks_json == key.jwks_json()
        assert not p.oidc_policy.subject
        assert p.service_principal_id is None
        created.append(p)
    assert len({p.uid for p in created}) == len(created)

    assert_same_policy(account.federation_policy.get(created[0].policy_id), created[0])

    with WireLog(account) as log:
        listed = list(account.federation_policy.list(page_size=2))
    assert_token_paging(log, "/federationPolicies", 2)
    ids = [p.policy_id for p in listed]
    for p in created:
        assert ids.count(p.policy_id) == 1
    by_id = {p.policy_id: p for p in listed}
    for p in created:
        assert_same_policy(by_id[p.policy_id], p)

    # update with a mask: only the named leaves change
    target = created[1]
    upd = account.federation_policy.update(
        target.policy_id, update_mask="description,oidc_policy.audiences",
        policy=oauth2.FederationPolicy(description="changed",
                                       oidc_policy=oauth2.OidcFederationPolicy(audiences=["aud-x", acct])))
    assert upd.description == "changed"
    assert upd.oidc_policy.audiences == ["aud-x", acct]
    assert upd.oidc_policy.issuer == issuer, "update_mask must keep fields it does not name"
    assert upd.oidc_policy.subject_claim == "email"
    assert upd.oidc_policy.jwks_json == key.jwks_json()
    assert (upd.policy_id, upd.uid, upd.name, upd.create_time) == \
        (target.policy_id, target.uid, target.name, target.create_time)
    assert_same_policy(account.federation_policy.get(target.policy_id), upd)

    # update without a mask: fields present in the body overwrite, absent ones stay
    upd2 = account.federation_policy.update(target.policy_id,
                                            policy=oauth2.FederationPolicy(description="no mask"))
    assert upd2.description == "no mask"
    assert upd2.oidc_policy.issuer == issuer and upd2.oidc_policy.audiences == ["aud-x", acct]

    for p in created:
        account.federation_policy.delete(p.policy_id)
    with pytest.raises(NotFound):
        account.federation_policy.get(created[0].policy_id)
    assert not {p.policy_id for p in created} & {p.policy_id for p in account.federation_policy.list()}


def test_account_federation_policy_generated_id(account):
    p = account.federation_policy.create(policy=oauth2.FederationPolicy(
        oidc_policy=oidc(f"https://{uniq('gen')}.idp.example.test", ["aud"])))
    try:
        assert p.policy_id, "the server must assign a policy_id when none is given"
        assert p.name.endswith(f"/federationPolicies/{p.policy_id}")
        assert_same_policy(account.federation_policy.get(p.policy_id), p)
    finally:
        account.federation_policy.delete(p.policy_id)


def test_service_principal_federation_policy_crud(account):
    acct = account.config.account_id
    sp = account.service_principals.create(display_name=uniq("fed-sp"), active=True)
    spid = int(sp.id)
    key = RsaKey("sp-crud")
    tag = uniq("sp-pol")
    issuer = "https://token.actions.githubusercontent.com"
    try:
        created = []
        for i in range(5):
            pid = f"{tag}-{i}"
            p = account.service_principal_federation_policy.create(
                service_principal_id=spid, policy_id=pid, policy=oauth2.FederationPolicy(
                    description=f"gh {i}",
                    oidc_policy=oidc(issuer, ["https://github.com/example-org"],
                                     subject=f"repo:example-org/infra:ref:refs/heads/b{i}",
                                     jwks_json=key.jwks_json())))
            assert p.policy_id == pid
            assert p.service_principal_id == spid
            assert p.name == f"accounts/{acct}/servicePrincipals/{spid}/federationPolicies/{pid}"
            assert p.uid and p.create_time and p.update_time
            assert p.oidc_policy.subject == f"repo:example-org/infra:ref:refs/heads/b{i}"
            assert p.oidc_policy.audiences == ["https://github.com/example-org"]
            assert p.oidc_policy.jwks_json == key.jwks_json()
            created.append(p)

        assert_same_policy(account.service_principal_federation_policy.get(spid, created[0].policy_id), created[0])

        with WireLog(account) as log:
            listed = list(account.service_principal_federation_policy.list(spid, page_size=2))
        assert_token_paging(log, "/federationPolicies", 2)
        assert sorted(p.policy_id for p in listed) == sorted(p.policy_id for p in created)
        by_id = {p.policy_id: p for p in listed}
        for p in created:
            assert_same_policy(by_id[p.policy_id], p)

        target = created[2]
        upd = account.service_principal_federation_policy.update(
            spid, target.policy_id, update_mask="oidc_policy.subject,description",
            policy=oauth2.FederationPolicy(description="moved to main", oidc_policy=oauth2.OidcFederationPolicy(
                subject="repo:example-org/infra:ref:refs/heads/main")))
        assert upd.description == "moved to main"
        assert upd.oidc_policy.subject == "repo:example-org/infra:ref:refs/heads/main"
        assert upd.oidc_policy.issuer == issuer and upd.oidc_policy.audiences == ["https://github.com/example-org"]
        assert upd.service_principal_id == spid
        assert_same_policy(account.service_principal_federation_policy.get(spid, target.policy_id), upd)

        for p in created:
            account.service_principal_federation_policy.delete(spid, p.policy_id)
        with pytest.raises(NotFound):
            account.service_principal_federation_policy.get(spid, created[0].policy_id)
        assert list(account.service_principal_federation_policy.list(spid)) == []
    finally:
        account.service_principals.delete(sp.id)
