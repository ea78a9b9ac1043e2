"""Workspaces (list/get) and workspace permission assignments (list, permission levels, PUT,
DELETE) through AccountClient."""
import pytest
from conftest import uniq
from databricks.sdk.service import iam

USER, ADMIN = iam.WorkspacePermission.USER, iam.WorkspacePermission.ADMIN


def test_workspaces_list_and_get(account):
    wss = list(account.workspaces.list())
    assert wss, "the demo seed should hold at least one workspace"
    ids = [w.workspace_id for w in wss]
    assert len(ids) == len(set(ids))
    for w in wss:
        assert isinstance(w.workspace_id, int) and w.workspace_id > 0
        assert w.workspace_name
        assert w.workspace_status is not None, f"unknown/missing workspace_status on {w.workspace_id}"
        if w.account_id:
            assert w.account_id == account.config.account_id
        if w.creation_time:
            assert w.creation_time > 10 ** 12, "creation_time must be epoch milliseconds"
    for w in wss:
        got = account.workspaces.get(w.workspace_id)
        assert got.as_dict() == w.as_dict()


@pytest.fixture
def principals(account):
    u = account.users.create(user_name=f"{uniq('ws-user')}@example.com", display_name="WS User")
    g = account.groups.create(display_name=uniq("ws-group"))
    sp = account.service_principals.create(display_name=uniq("ws-sp"), active=True)
    yield u, g, sp
    account.users.delete(u.id)
    account.groups.delete(g.id)
    account.service_principals.delete(sp.id)


def assignment_of(account, ws_id, pid):
    found = [a for a in account.workspace_assignment.list(ws_id) if a.principal.principal_id == pid]
    assert len(found) <= 1, f"principal {pid} listed {len(found)} times"
    return found[0] if found else None


def test_permission_levels(account):
    ws = list(account.workspaces.list())[0]
    levels = account.workspace_assignment.get(ws.workspace_id)
    got = {p.permission_level for p in levels.permissions}
    assert {USER, ADMIN} <= got, got


def test_workspace_assignment_crud(account, principals):
    u, g, sp = principals
    ws_id = list(account.workspaces.list())[0].workspace_id

    pa = account.workspace_assignment.update(ws_id, int(u.id), permissions=[USER])
    assert pa.principal.principal_id == int(u.id)
    assert pa.permissions == [USER]
    account.workspace_assignment.update(ws_id, int(g.id), permissions=[USER])
    account.workspace_assignment.update(ws_id, int(sp.id), permissions=[ADMIN])

    a = assignment_of(account, ws_id, int(u.id))
    assert a.permissions == [USER]
    assert a.principal.user_name == u.user_name
    assert a.principal.display_name == u.display_name
    assert not a.principal.group_name and not a.principal.service_principal_name
    a = assignment_of(account, ws_id, int(g.id))
    assert a.permissions == [USER]
    assert a.principal.group_name == g.display_name
    assert not a.principal.user_name and not a.principal.service_principal_name
    a = assignment_of(account, ws_id, int(sp.id))
    assert a.permissions == [ADMIN]
    assert a.principal.service_principal_name == sp.application_id
    assert a.principal.display_name == sp.display_name

    # PUT replaces: USER -> ADMIN
    pa = account.workspace_assignment.update(ws_id, int(u.id), permissions=[ADMIN])
    assert pa.permissions == [ADMIN]
    assert assignment_of(account, ws_id, int(u.id)).permissions == [ADMIN]

    for p in (u, g, sp):
        account.workspace_assignment.delete(ws_id, int(p.id))
        assert assignment_of(account, ws_id, int(p.id)) is None
