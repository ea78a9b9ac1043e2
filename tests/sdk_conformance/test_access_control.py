"""Account access control (rule sets on service principals and groups) through AccountClient:
assignable roles, get rule set, read-modify-write update with etag."""
import pytest
from conftest import uniq
from databricks.sdk.errors import DatabricksError
from databricks.sdk.service import iam


@pytest.fixture
def sp(account):
    sp = account.service_principals.create(display_name=uniq("acl-sp"), active=True)
    yield sp
    account.service_principals.delete(sp.id)


@pytest.fixture
def group(account):
    g = account.groups.create(display_name=uniq("acl-group"))
    yield g
    account.groups.delete(g.id)


@pytest.fixture
def user(account):
    u = account.users.create(user_name=f"{uniq('acl-user')}@example.com", display_name="ACL User")
    yield u
    account.users.delete(u.id)


def rules(rs):
    return sorted((r.role, tuple(sorted(r.principals or []))) for r in (rs.grant_rules or []))


def test_assignable_roles(account, sp, group):
    acct = account.config.account_id
    roles = {r.name for r in account.access_control.get_assignable_roles_for_resource(
        f"accounts/{acct}/servicePrincipals/{sp.application_id}").roles}
    assert {"roles/servicePrincipal.manager", "roles/servicePrincipal.user"} <= roles, roles
    groles = {r.name for r in account.access_control.get_assignable_roles_for_resource(
        f"accounts/{acct}/groups/{group.id}").roles}
    assert "roles/group.manager" in groles, groles


def read_modify_write(account, name, principal, role):
    rs = account.access_control.get_rule_set(name, "")
    assert rs.name == name
    assert rs.etag, "a rule set must carry an etag"
    new_rules = [r for r in (rs.grant_rules or [])] + [iam.GrantRule(role=role, principals=[principal])]
    upd = account.access_control.update_rule_set(name, iam.RuleSetUpdateRequest(
        name=name, etag=rs.etag, grant_rules=new_rules))
    assert upd.name == name
    assert upd.etag and upd.etag != rs.etag, "an update must produce a new etag"
    assert rules(upd) == rules(iam.RuleSetResponse(name=name, etag="", grant_rules=new_rules))
    again = account.access_control.get_rule_set(name, "")
    assert (again.etag, rules(again)) == (upd.etag, rules(upd))
    fresh = account.access_control.get_rule_set(name, upd.etag)
    assert rules(fresh) == rules(upd)
    return rs, upd


def test_service_principal_rule_set(account, sp, user):
    acct = account.config.account_id
    name = f"accounts/{acct}/servicePrincipals/{sp.application_id}/ruleSets/default"
    before, upd = read_modify_write(account, name, f"users/{user.user_name}", "roles/servicePrincipal.user")
    # stale etag is refused
    with pytest.raises(DatabricksError):
        account.access_control.update_rule_set(name, iam.RuleSetUpdateRequest(
            name=name, etag=before.etag, grant_rules=[]))
    # replace the whole list (remove everything)
    cleared = account.access_control.update_rule_set(name, iam.RuleSetUpdateRequest(
        name=name, etag=upd.etag, grant_rules=[]))
    assert rules(cleared) == []
    assert rules(account.access_control.get_rule_set(name, "")) == []


def test_group_rule_set(account, group, user):
    acct = account.config.account_id
    name = f"accounts/{acct}/groups/{group.id}/ruleSets/default"
    read_modify_write(account, name, f"users/{user.user_name}", "roles/group.manager")
