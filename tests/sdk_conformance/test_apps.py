"""OAuth app integrations: custom apps, published-app integrations and the published-apps
catalog, through AccountClient."""
import pytest
from conftest import WireLog, uniq
from databricks.sdk.errors import NotFound
from databricks.sdk.service import oauth2
from urllib.parse import parse_qs, urlsplit


def tap(access, refresh, **kw):
    return oauth2.TokenAccessPolicy(access_token_ttl_in_minutes=access, refresh_token_ttl_in_minutes=refresh, **kw)


def assert_token_paging(log: WireLog, path_suffix, page_size):
    """page_token paging: every page within page_size, every later request carries the previous
    next_page_token, the last page has none."""
    pages = log.matching("GET", path_suffix)
    assert pages, "no list request seen"
    prev_token = None
    for r in pages:
        q = parse_qs(urlsplit(r.request.url).query)
        assert q.get("page_token", [None])[0] == prev_token
        body = r.json()
        items = body.get("apps", body.get("secrets", body.get("policies", []))) or []
        assert len(items) <= page_size, f"page of {len(items)} > page_size {page_size}"
        prev_token = body.get("next_page_token") or None
    assert prev_token is None
    return pages


def test_custom_app_integration_crud(account):
    tag = uniq("app")
    confidential = account.custom_app_integration.create(
        name=f"{tag}-conf", confidential=True, redirect_urls=["https://example.com/cb"],
        scopes=["all-apis", "offline_access"], user_authorized_scopes=["all-apis"],
        token_access_policy=tap(60, 10080))
    assert confidential.integration_id and confidential.client_id
    assert confidential.client_secret, "confidential app create must return client_secret once"

    public = account.custom_app_integration.create(
        name=f"{tag}-public", confidential=False, redirect_urls=["http://localhost:7070/callback"],
        scopes=["all-apis"])
    assert public.integration_id and public.client_id
    assert not public.client_secret, "public app create must not return a client_secret"
    assert public.client_id != confidential.client_id

    got = account.custom_app_integration.get(confidential.integration_id)
    assert got.integration_id == confidential.integration_id
    assert got.client_id == confidential.client_id
    assert got.name == f"{tag}-conf"
    assert got.confidential is True
    assert got.redirect_urls == ["https://example.com/cb"]
    assert sorted(got.scopes) == ["all-apis", "offline_access"]
    assert got.user_authorized_scopes == ["all-apis"]
    assert got.token_access_policy.access_token_ttl_in_minutes == 60
    assert got.token_access_policy.refresh_token_ttl_in_minutes == 10080
    assert got.create_time, "create_time missing"
    assert not getattr(got, "client_secret", None)

    got_public = account.custom_app_integration.get(public.integration_id)
    assert got_public.confidential in (False, None)
    assert got_public.name == f"{tag}-public"
    assert got_public.redirect_urls == ["http://localhost:7070/callback"]

    listed = list(account.custom_app_integration.list())
    ids = [a.integration_id for a in listed]
    for iid in (confidential.integration_id, public.integration_id):
        assert ids.count(iid) == 1, f"{iid} listed {ids.count(iid)} times"
    listed_conf = next(a for a in listed if a.integration_id == confidential.integration_id)
    assert listed_conf.name == f"{tag}-conf" and listed_conf.client_id == confidential.client_id
    assert listed_conf.redirect_urls == ["https://example.com/cb"]

    # PATCH: present fields replace, absent fields stay
    account.custom_app_integration.update(confidential.integration_id,
                                          redirect_urls=["https://example.com/cb2", "https://example.com/cb3"])
    got = account.custom_app_integration.get(confidential.integration_id)
    assert got.redirect_urls == ["https://example.com/cb2", "https://example.com/cb3"]
    assert sorted(got.scopes) == ["all-apis", "offline_access"]
    assert got.token_access_policy.access_token_ttl_in_minutes == 60
    account.custom_app_integration.update(confidential.integration_id, scopes=["all-apis", "sql"],
                                          user_authorized_scopes=["sql"], token_access_policy=tap(30, 1440))
    got = account.custom_app_integration.get(confidential.integration_id)
    assert sorted(got.scopes) == ["all-apis", "sql"]
    assert got.user_authorized_scopes == ["sql"]
    assert (got.token_access_policy.access_token_ttl_in_minutes,
            got.token_access_policy.refresh_token_ttl_in_minutes) == (30, 1440)
    assert got.redirect_urls == ["https://example.com/cb2", "https://example.com/cb3"]
    assert got.name == f"{tag}-conf"

    mine = {confidential.integration_id, public.integration_id}
    for iid in mine:
        account.custom_app_integration.delete(iid)
    with pytest.raises(NotFound) as gone:
        account.custom_app_integration.get(confidential.integration_id)
    assert gone.value.error_code in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND"), gone.value.error_code
    assert not mine & {a.integration_id for a in account.custom_app_integration.list()}


def test_custom_app_integration_list_paging(account):
    """Several pages with page_size=2, plus include_creator_username=true."""
    tag = uniq("app-page")
    created = [account.custom_app_integration.create(name=f"{tag}-{i}", redirect_urls=["https://x.example/cb"])
               for i in range(5)]
    try:
        with WireLog(account) as log:
            listed = list(account.custom_app_integration.list(page_size=2, include_creator_username=True))
        assert_token_paging(log, "/oauth2/custom-app-integrations", 2)
        ids = [a.integration_id for a in listed]
        assert len(ids) == len(set(ids))
        for c in created:
            assert ids.count(c.integration_id) == 1, f"{c.integration_id} listed {ids.count(c.integration_id)} times"
        for a in listed:
            if a.integration_id in {c.integration_id for c in created}:
                assert a.name.startswith(tag)
                assert a.creator_username, "include_creator_username=true must fill creator_username"
    finally:
        for c in created:
            account.custom_app_integration.delete(c.integration_id)


def test_custom_app_integration_list_creator_username(account):
    """include_creator_username=true alone (default page size)."""
    c = account.custom_app_integration.create(name=uniq("app-creator"), redirect_urls=["https://x.example/cb"])
    try:
        listed = {a.integration_id: a for a in account.custom_app_integration.list(include_creator_username=True)}
        assert listed[c.integration_id].creator_username
    finally:
        account.custom_app_integration.delete(c.integration_id)


def test_published_apps_catalog(account):
    everything = list(account.o_auth_published_apps.list())
    assert everything, "published-apps catalog is empty"
    ids = [a.app_id for a in everything]
    assert len(ids) == len(set(ids))
    for a in everything:
        assert a.app_id and a.name, a
    with WireLog(account) as log:
        paged = list(account.o_auth_published_apps.list(page_size=1))
    assert_token_paging(log, "/oauth2/published-apps", 1)
    assert [a.app_id for a in paged] == ids


def test_published_apps_catalog_lists_databricks_cli(account):
    """Reference §4.3: databricks-cli (the SDK's and CLI's U2M client) is a published app."""
    assert "databricks-cli" in [a.app_id for a in account.o_auth_published_apps.list()]


def test_published_app_integration_crud(account):
    catalog = [a.app_id for a in account.o_auth_published_apps.list()]
    integrated = {i.app_id for i in account.published_app_integration.list()}
    free = [a for a in catalog if a not in integrated and a != "databricks-cli"]
    if not free:
        pytest.fail(f"every catalog app is already integrated in the demo seed: {catalog}")
    app_id = free[0]
    catalog_name = next(a.name for a in account.o_auth_published_apps.list() if a.app_id == app_id)

    created = account.published_app_integration.create(app_id=app_id, token_access_policy=tap(60, 10080))
    assert created.integration_id
    try:
        got = account.published_app_integration.get(created.integration_id)
        assert got.integration_id == created.integration_id
        assert got.app_id == app_id
        assert got.name == catalog_name
        assert (got.token_access_policy.access_token_ttl_in_minutes,
                got.token_access_policy.refresh_token_ttl_in_minutes) == (60, 10080)

        with WireLog(account) as log:
            listed = list(account.published_app_integration.list(page_size=1))
        assert_token_paging(log, "/oauth2/published-app-integrations", 1)
        ids = [i.integration_id for i in listed]
        assert ids.count(created.integration_id) == 1
        assert len(ids) == len(set(ids))

        account.published_app_integration.update(created.integration_id, token_access_policy=tap(15, 120))
        got = account.published_app_integration.get(created.integration_id)
        assert (got.token_access_policy.access_token_ttl_in_minutes,
                got.token_access_policy.refresh_token_ttl_in_minutes) == (15, 120)
        assert got.app_id == app_id
    finally:
        account.published_app_integration.delete(created.integration_id)
    with pytest.raises(NotFound):
        account.published_app_integration.get(created.integration_id)


def test_custom_app_unknown_fields_round_trip(account):
    """A raw create with fields the SDK does not know, then the SDK's typed get/list/update."""
    api = account.api_client
    path = f"/api/2.0/accounts/{account.config.account_id}/oauth2/custom-app-integrations"
    raw = api.do("POST", path, headers={"Accept": "application/json", "Content-Type": "application/json"},
                 body={"name": uniq("raw-app"), "redirect_urls": ["https://raw.example/cb"],
                       "x_unknown_field": True, "token_access_policy": {"access_token_ttl_in_minutes": 60,
                                                                        "refresh_token_ttl_in_minutes": 120,
                                                                        "x_unknown_policy_knob": 3}})
    iid = raw["integration_id"]
    try:
        got = account.custom_app_integration.get(iid)
        assert got.redirect_urls == ["https://raw.example/cb"]
        assert got.token_access_policy.access_token_ttl_in_minutes == 60
        account.custom_app_integration.update(iid, redirect_urls=["https://raw.example/cb2"])
        assert account.custom_app_integration.get(iid).redirect_urls == ["https://raw.example/cb2"]
        assert iid in {a.integration_id for a in account.custom_app_integration.list()}
    finally:
        account.custom_app_integration.delete(iid)
