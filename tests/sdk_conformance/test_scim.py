"""SCIM Users / Groups / ServicePrincipals through AccountClient: create, get, list (several
pages), update (PUT), patch, delete; plus a round trip with fields the SDK does not know."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import PAGE_CAP, WireLog, uniq
from databricks.sdk.errors import NotFound
from databricks.sdk.service import iam

PATCH_OP = [iam.PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP]
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def values(cvs):
    return sorted(c.value for c in (cvs or []))


def emails_of(u):
    return sorted((e.value, e.type, bool(e.primary)) for e in (u.emails or []))


def check_scim_paging(log: WireLog, path_suffix, listed, created_ids):
    """The SDK's SCIM paging (startIndex += len(Resources), stop on empty) must see every
    object exactly once, with pages no larger than the server's cap and no overlap."""
    pages = log.matching("GET", path_suffix)
    assert len(pages) >= 2, "a SCIM list always ends with an empty past-the-end page"
    raw_ids, expected_start = [], 1
    for r in pages:
        q = parse_qs(urlsplit(r.request.url).query)
        assert int(q["startIndex"][0]) == expected_start
        assert r.status_code == 200
        body = r.json()
        res = body.get("Resources") or []
        assert len(res) <= PAGE_CAP, f"page of {len(res)} exceeds --page-cap {PAGE_CAP}"
        raw_ids += [x["id"] for x in res]
        expected_start += len(res)
    assert not (pages[-1].json().get("Resources") or []), "last page must be empty"
    assert all(len(p.json().get("Resources") or []) > 0 for p in pages[:-1])
    dups = {i for i in raw_ids if raw_ids.count(i) > 1}
    assert not dups, f"ids served on more than one page (the SDK hides this by de-duplicating): {dups}"
    total = pages[0].json().get("totalResults")
    assert total == len(raw_ids), f"totalResults {total} != number of resources served {len(raw_ids)}"
    sdk_ids = [x.id for x in listed]
    for cid in created_ids:
        assert sdk_ids.count(cid) == 1, f"created id {cid} appears {sdk_ids.count(cid)} times"
    return pages


# ---------------------------------------------------------------------------------- users


def test_users_crud_and_paging(account):
    tag = uniq("u")
    created = []
    for i in range(9):
        name = f"{tag}-{i}@example.com"
        u = account.users.create(
            user_name=name, display_name=f"User {i} {tag}", active=True,
            name=iam.Name(given_name=f"Given{i}", family_name="Family"),
            emails=[iam.ComplexValue(value=name, type="work", primary=True)],
            schemas=[iam.UserSchema.URN_IETF_PARAMS_SCIM_SCHEMAS_CORE_2_0_USER])
        assert u.id and u.id.isdigit(), f"SCIM id must be a decimal string, got {u.id!r}"
        assert u.user_name == name
        assert u.display_name == f"User {i} {tag}"
        assert u.active is True
        created.append(u)

    got = account.users.get(created[0].id)
    assert got.id == created[0].id
    assert got.user_name == created[0].user_name
    assert got.display_name == created[0].display_name
    assert got.name.given_name == "Given0" and got.name.family_name == "Family"
    assert emails_of(got) == [(created[0].user_name, "work", True)]
    assert got.active is True

    with WireLog(account) as log:
        listed = list(account.users.list())
    check_scim_paging(log, "/scim/v2/Users", listed, [u.id for u in created])
    by_id = {u.id: u for u in listed}
    for u in created:
        assert by_id[u.id].user_name == u.user_name
        assert by_id[u.id].display_name == u.display_name

    # filter + attributes, as a console search box would send them
    hits = list(account.users.list(filter=f'userName eq "{created[3].user_name}"', attributes="id,userName"))
    assert [h.id for h in hits] == [created[3].id]

    # PUT replaces the resource; userName stays
    target = created[1]
    account.users.update(target.id, user_name=target.user_name, display_name="Renamed " + tag, active=True,
                         name=iam.Name(given_name="New", family_name="Name"),
                         emails=[iam.ComplexValue(value=target.user_name, type="work", primary=True)])
    got = account.users.get(target.id)
    assert got.display_name == "Renamed " + tag
    assert got.name.given_name == "New" and got.name.family_name == "Name"
    assert got.user_name == target.user_name

    # PATCH replace with a path
    account.users.patch(target.id, schemas=PATCH_OP,
                        operations=[iam.Patch(op=iam.PatchOp.REPLACE, path="displayName", value="Patched " + tag)])
    assert account.users.get(target.id).display_name == "Patched " + tag

    # PATCH replace without a path (the only way the SDK can send active=false, see WIRE_NOTES §0.9)
    account.users.patch(target.id, schemas=PATCH_OP,
                        operations=[iam.Patch(op=iam.PatchOp.REPLACE, value={"active": False})])
    assert account.users.get(target.id).active is False

    for u in created:
        account.users.delete(u.id)
    with pytest.raises(NotFound):
        account.users.get(created[0].id)
    remaining = {u.id for u in account.users.list(filter=f'userName sw "{tag}"')}
    assert not remaining & {u.id for u in created}


def test_user_roles_round_trip(account):
    name = f"{uniq('role')}@example.com"
    u = account.users.create(user_name=name, display_name="Role holder",
                             roles=[iam.ComplexValue(value="account_admin")])
    try:
        assert values(account.users.get(u.id).roles) == ["account_admin"]
        account.users.patch(u.id, schemas=PATCH_OP, operations=[
            iam.Patch(op=iam.PatchOp.REMOVE, path='roles[value eq "account_admin"]')])
        assert values(account.users.get(u.id).roles) == []
        account.users.patch(u.id, schemas=PATCH_OP, operations=[
            iam.Patch(op=iam.PatchOp.ADD, path="roles", value=[{"value": "account_admin"}])])
        assert values(account.users.get(u.id).roles) == ["account_admin"]
    finally:
        account.users.delete(u.id)


# ---------------------------------------------------------------------------------- groups


@pytest.fixture
def member_user(account):
    u = account.users.create(user_name=f"{uniq('member')}@example.com", display_name="Member")
    yield u
    account.users.delete(u.id)


@pytest.fixture
def member_sp(account):
    sp = account.service_principals.create(display_name=uniq("member-sp"), active=True)
    yield sp
    account.service_principals.delete(sp.id)


def test_groups_crud_and_paging(account, member_user, member_sp):
    tag = uniq("g")
    created = [account.groups.create(display_name=f"{tag}-{i}") for i in range(9)]
    for i, g in enumerate(created):
        assert g.id and g.id.isdigit()
        assert g.display_name == f"{tag}-{i}"

    with WireLog(account) as log:
        listed = list(account.groups.list())
    pages = check_scim_paging(log, "/scim/v2/Groups", listed, [g.id for g in created])
    assert all("excludedAttributes" not in urlsplit(p.request.url).query for p in pages)

    g = account.groups.create(display_name=f"{tag}-members", external_id="ext-" + tag,
                              members=[iam.ComplexValue(value=member_user.id)])
    created.append(g)
    got = account.groups.get(g.id)
    assert got.display_name == f"{tag}-members"
    assert got.external_id == "ext-" + tag
    assert values(got.members) == [member_user.id]

    # PUT: rename + replace members
    account.groups.update(g.id, display_name=f"{tag}-renamed", external_id="ext-" + tag,
                          members=[iam.ComplexValue(value=member_user.id), iam.ComplexValue(value=member_sp.id)])
    got = account.groups.get(g.id)
    assert got.display_name == f"{tag}-renamed"
    assert values(got.members) == sorted([member_user.id, member_sp.id])

    # PATCH remove / add member
    account.groups.patch(g.id, schemas=PATCH_OP, operations=[
        iam.Patch(op=iam.PatchOp.REMOVE, path=f'members[value eq "{member_user.id}"]')])
    assert values(account.groups.get(g.id).members) == [member_sp.id]
    account.groups.patch(g.id, schemas=PATCH_OP, operations=[
        iam.Patch(op=iam.PatchOp.ADD, path="members", value=[{"value": member_user.id}])])
    assert values(account.groups.get(g.id).members) == sorted([member_user.id, member_sp.id])
    account.groups.patch(g.id, schemas=PATCH_OP, operations=[
        iam.Patch(op=iam.PatchOp.REPLACE, path="displayName", value=f"{tag}-patched")])
    assert account.groups.get(g.id).display_name == f"{tag}-patched"

    # membership is visible from the member's side
    user_groups = values(account.users.get(member_user.id).groups)
    assert g.id in user_groups

    for x in created:
        account.groups.delete(x.id)
    with pytest.raises(NotFound):
        account.groups.get(g.id)


def test_groups_list_omits_members(account, member_user):
    """Reference §5.2: like new accounts since 2025-08-22, the Groups list carries no `members`
    (a get does)."""
    g = account.groups.create(display_name=uniq("g-omit"), members=[iam.ComplexValue(value=member_user.id)])
    try:
        listed = [x for x in account.groups.list(filter=f'displayName eq "{g.display_name}"')]
        assert [x.id for x in listed] == [g.id]
        assert not listed[0].members
        assert values(account.groups.get(g.id).members) == [member_user.id]
    finally:
        account.groups.delete(g.id)


# ------------------------------------------------------------------------- service principals


def test_service_principals_crud_and_paging(account):
    tag = uniq("sp")
    created = [account.service_principals.create(display_name=f"{tag}-{i}", active=True) for i in range(9)]
    for i, sp in enumerate(created):
        assert sp.id and sp.id.isdigit()
        assert sp.display_name == f"{tag}-{i}"
        assert sp.application_id and UUID_RE.match(sp.application_id), sp.application_id
        assert sp.active is True
    assert len({sp.application_id for sp in created}) == len(created)

    got = account.service_principals.get(created[0].id)
    assert (got.id, got.display_name, got.application_id, got.active) == \
        (created[0].id, created[0].display_name, created[0].application_id, True)

    with WireLog(account) as log:
        listed = list(account.service_principals.list())
    check_scim_paging(log, "/scim/v2/ServicePrincipals", listed, [sp.id for sp in created])
    by_id = {sp.id: sp for sp in listed}
    for sp in created:
        assert by_id[sp.id].application_id == sp.application_id

    hits = list(account.service_principals.list(filter=f'applicationId eq "{created[2].application_id}"'))
    assert [h.id for h in hits] == [created[2].id]

    target = created[1]
    account.service_principals.update(target.id, application_id=target.application_id,
                                      display_name=f"{tag}-renamed", active=True)
    got = account.service_principals.get(target.id)
    assert got.display_name == f"{tag}-renamed"
    assert got.application_id == target.application_id

    account.service_principals.patch(target.id, schemas=PATCH_OP, operations=[
        iam.Patch(op=iam.PatchOp.REPLACE, path="displayName", value=f"{tag}-patched")])
    assert account.service_principals.get(target.id).display_name == f"{tag}-patched"
    account.service_principals.patch(target.id, schemas=PATCH_OP, operations=[
        iam.Patch(op=iam.PatchOp.REPLACE, value={"active": False})])
    assert account.service_principals.get(target.id).active is False

    for sp in created:
        account.service_principals.delete(sp.id)
    with pytest.raises(NotFound):
        account.service_principals.get(created[0].id)


# ------------------------------------------------------------------------ unknown round trip


def test_unknown_fields_round_trip(account):
    """Fields the SDK does not model must not break anything: the fake accepts (ignores or
    keeps) extra request fields, and the SDK's typed calls still parse what the fake answers."""
    api = account.api_client
    base = f"/api/2.0/accounts/{account.config.account_id}/scim/v2"
    name = f"{uniq('raw')}@example.com"
    raw = api.do("POST", f"{base}/Users", headers={"Accept": "application/json", "Content-Type": "application/json"},
                 body={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": name,
                       "displayName": "Raw", "x_unknown_field": {"nested": [1, 2]},
                       "urn:example:params:scim:schemas:extension:2.0:Custom": {"costCenter": "42"}})
    uid = raw["id"]
    try:
        typed = account.users.get(uid)
        assert typed.user_name == name and typed.display_name == "Raw"
        assert iam.User.from_dict(raw).user_name == name
        # an SDK update of a raw-created object, then typed reads again
        account.users.patch(uid, schemas=PATCH_OP, operations=[
            iam.Patch(op=iam.PatchOp.REPLACE, path="displayName", value="Raw2")])
        assert [u.display_name for u in account.users.list(filter=f'userName eq "{name}"')] == ["Raw2"]
    finally:
        account.users.delete(uid)
