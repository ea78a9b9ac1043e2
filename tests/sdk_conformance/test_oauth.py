"""Authentication through the SDK's own flows: host metadata + OIDC discovery, U2M
(external-browser, PKCE) and refresh, M2M with an SDK-created secret, and RFC 8693 token
exchange against account-wide and service-principal federation policies (env-oidc)."""
import html.parser
import json
import urllib.parse
from datetime import datetime

import pytest
import requests
from conftest import uniq
from databricks.sdk import AccountClient
from databricks.sdk.core import Config
from databricks.sdk.oauth import OAuthClient
from databricks.sdk.service import oauth2
from helpers import (SDK_CALLBACK_PORT, EcKey, RsaKey, expire_sdk_token_cache, no_browser, port_free,
                     scripted_browser, sdk_token_cache_files)

OAUTH_ERROR_CODES = ("invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
                     "unsupported_grant_type", "invalid_scope", "access_denied")


def oidc_base(fake):
    return f"{fake.host}/oidc/accounts/{fake.account_id}"


# ------------------------------------------------------------------------- discovery


def test_host_metadata_and_discovery(fake):
    r = requests.get(f"{fake.host}/.well-known/databricks-config", timeout=10)
    assert r.status_code == 200, r.text
    meta = r.json()
    assert meta.get("oidc_endpoint"), meta
    resolved = meta["oidc_endpoint"].replace("{account_id}", fake.account_id).rstrip("/")
    assert resolved == oidc_base(fake), f"oidc_endpoint resolves to {resolved}"
    assert not meta.get("workspace_id"), "an account host must not announce a workspace_id"
    if meta.get("account_id"):
        assert meta["account_id"] == fake.account_id

    d = requests.get(f"{resolved}/.well-known/oauth-authorization-server", timeout=10)
    assert d.status_code == 200, d.text
    doc = d.json()
    assert doc["authorization_endpoint"] == oidc_base(fake) + "/v1/authorize"
    assert doc["token_endpoint"] == oidc_base(fake) + "/v1/token"

    # the SDK's own resolution
    cfg = Config(host=fake.host, account_id=fake.account_id, token=fake.token, auth_type="pat")
    assert cfg.discovery_url == oidc_base(fake) + "/.well-known/oauth-authorization-server"
    assert cfg.token_audience == fake.account_id
    ep = cfg.databricks_oidc_endpoints
    assert (ep.authorization_endpoint, ep.token_endpoint) == (doc["authorization_endpoint"], doc["token_endpoint"])


def test_pat_client_works(account):
    assert list(account.workspaces.list()) is not None


# ------------------------------------------------------------------------- U2M


@pytest.fixture(scope="module")
def u2m_login(fake_auto):
    """Log in with auth_type=external-browser exactly as a user would; the 'browser' is a thread
    that follows the authorize redirect and delivers it to the SDK's listener on :8020."""
    if not port_free(SDK_CALLBACK_PORT):
        pytest.skip(f"port {SDK_CALLBACK_PORT} is busy: the Python SDK's U2M callback port is fixed, "
                    "so the external-browser login cannot run here")
    with scripted_browser() as trace:
        client = fake_auto.client(auth_type="external-browser")
    return client, trace


def test_u2m_external_browser_login(fake_auto, u2m_login):
    client, trace = u2m_login
    assert trace.error is None, trace
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(trace.opened_url).query))
    assert trace.opened_url.startswith(oidc_base(fake_auto) + "/v1/authorize?")
    assert q["client_id"] == "databricks-cli" and q["code_challenge_method"] == "S256"
    assert trace.callback_query.get("state") == q["state"], trace
    assert trace.callback_query.get("code"), trace
    assert trace.callback_status == 200, trace
    assert client.config.auth_type == "external-browser"
    assert isinstance(list(client.workspaces.list()), list)
    files = sdk_token_cache_files()
    assert len(files) == 1, files
    with open(files[0]) as f:
        cached = json.load(f)["token"]
    assert cached["access_token"] and cached["token_type"] == "Bearer"
    assert cached.get("refresh_token"), "offline_access was requested: a refresh_token must be issued"


def test_u2m_refresh(fake_auto, u2m_login):
    """Force the SDK to refresh: make its cached token look expired and build a new client.
    It must use grant_type=refresh_token and must not open a browser."""
    old = expire_sdk_token_cache()
    assert old and old[0].get("refresh_token")
    with no_browser():
        client = fake_auto.client(auth_type="external-browser")
    header = client.config.authenticate()["Authorization"]
    assert header.startswith("Bearer ")
    assert header[len("Bearer "):] != old[0]["access_token"], "the access token was not refreshed"
    assert isinstance(list(client.workspaces.list()), list)


class _Forms(html.parser.HTMLParser):
    """Minimal form scraper: forms with their inputs, selects and submit buttons."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._button = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                               "fields": [], "selects": {}, "buttons": []})
        elif not self.forms:
            return
        elif tag == "input":
            t = (a.get("type") or "text").lower()
            if t in ("submit", "button"):
                self.forms[-1]["buttons"].append({"name": a.get("name"), "value": a.get("value") or "",
                                                  "text": a.get("value") or ""})
            elif t in ("radio", "checkbox"):
                if "checked" in a or not any(n == a.get("name") for n, _ in self.forms[-1]["fields"]):
                    self.forms[-1]["fields"] = [(n, v) for n, v in self.forms[-1]["fields"] if n != a.get("name")]
                    self.forms[-1]["fields"].append((a.get("name"), a.get("value") or "on"))
            elif a.get("name"):
                self.forms[-1]["fields"].append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = a.get("name")
            self.forms[-1]["selects"][self._select] = []
        elif tag == "option" and self._select is not None:
            self.forms[-1]["selects"][self._select].append((a.get("value"), "selected" in a))
        elif tag == "button":
            self._button = {"name": a.get("name"), "value": a.get("value") or "", "text": "",
                            "type": (a.get("type") or "submit").lower()}

    def handle_data(self, data):
        if self._button is not None:
            self._button["text"] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "button" and self._button is not None and self.forms:
            if self._button["type"] == "submit":
                self.forms[-1]["buttons"].append(self._button)
            self._button = None


def submit_consent(page_url, page_html, session):
    """Pick the first user offered and press Allow, like a person would."""
    parser = _Forms()
    parser.feed(page_html)
    forms = [f for f in parser.forms
             if any("allow" in (b["text"] + b["value"]).lower() for b in f["buttons"])]
    assert forms, f"no form with an Allow button on the consent page:\n{page_html[:2000]}"
    form = forms[0]
    data = list(form["fields"])
    for name, options in form["selects"].items():
        chosen = next((v for v, sel in options if sel), options[0][0] if options else None)
        if name and chosen is not None:
            data.append((name, chosen))
    button = next(b for b in form["buttons"] if "allow" in (b["text"] + b["value"]).lower())
    if button.get("name"):
        data.append((button["name"], button["value"]))
    action = urllib.parse.urljoin(page_url, form["action"] or page_url)
    if form["method"] == "post":
        return session.post(action, data=data, allow_redirects=False, timeout=10)
    return session.get(action, params=data, allow_redirects=False, timeout=10)


def test_u2m_consent_page_then_sdk_code_exchange_and_refresh(fake):
    """Without --auto-approve: the authorize URL built by the SDK shows an HTML consent page;
    pressing Allow redirects to the redirect_uri with code+state; the SDK's own Consent object
    exchanges the code (PKCE) and its SessionCredentials refresh the token."""
    endpoints = Config(host=fake.host, account_id=fake.account_id, token=fake.token,
                       auth_type="pat").databricks_oidc_endpoints
    client = OAuthClient(endpoints, "http://localhost:8020", "databricks-cli",
                         scopes=["all-apis", "offline_access"])
    consent = client.initiate_consent()
    s = requests.Session()
    page = s.get(consent.authorization_url, allow_redirects=False, timeout=10)
    assert page.status_code == 200, f"authorize page: HTTP {page.status_code} {page.headers} {page.text[:500]}"
    assert page.headers.get("Content-Type", "").startswith("text/html")
    resp = submit_consent(consent.authorization_url, page.text, s)
    hops = 0
    while resp.status_code in (301, 302, 303, 307, 308) and hops < 5:
        loc = urllib.parse.urljoin(resp.url, resp.headers["Location"])
        if loc.startswith("http://localhost:8020"):
            break
        resp, hops = s.get(loc, allow_redirects=False, timeout=10), hops + 1
    assert resp.status_code in (302, 303), f"Allow: HTTP {resp.status_code} {resp.text[:500]}"
    loc = resp.headers["Location"]
    assert loc.startswith("http://localhost:8020"), loc
    assert loc.count("?") == 1, f"the SDK's callback handler needs exactly one '?': {loc}"
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(loc).query))
    creds = consent.exchange_callback_parameters(query)
    token = creds.token()
    assert token.access_token and token.token_type == "Bearer" and token.refresh_token
    pat_like = AccountClient(host=fake.host, account_id=fake.account_id, token=token.access_token, auth_type="pat")
    assert isinstance(list(pat_like.workspaces.list()), list)

    # force a refresh through the SDK's SessionCredentials
    creds._token.expiry = datetime.now().replace(year=2000)
    refreshed = creds.token()
    assert refreshed.access_token != token.access_token
    again = AccountClient(host=fake.host, account_id=fake.account_id, token=refreshed.access_token,
                          auth_type="pat")
    assert isinstance(list(again.workspaces.list()), list)


# ------------------------------------------------------------------------- M2M


@pytest.fixture(scope="module")
def sp_secret(account, admin_sp):
    s = account.service_principal_secrets.create(service_principal_id=admin_sp.id, lifetime="3600s")
    yield s
    try:
        account.service_principal_secrets.delete(service_principal_id=admin_sp.id, secret_id=s.id)
    except Exception:  # noqa: BLE001
        pass


def test_m2m_with_sdk_created_secret(fake, admin_sp, sp_secret):
    m2m = fake.client(client_id=admin_sp.application_id, client_secret=sp_secret.secret, auth_type="oauth-m2m")
    assert m2m.config.auth_type == "oauth-m2m"
    got = m2m.service_principals.get(admin_sp.id)
    assert got.application_id == admin_sp.application_id
    assert isinstance(list(m2m.workspaces.list()), list)
    tok = m2m.config.oauth_token()
    assert tok.access_token and tok.token_type == "Bearer" and tok.access_token != fake.token
    assert not tok.refresh_token, "client_credentials must not issue a refresh token"


def assert_clean_oauth_error(excinfo):
    e = excinfo.value
    assert not isinstance(e, (KeyError, NotImplementedError)), \
        f"SDK could not read the token error (missing Content-Type or fields?): {e!r}"
    assert any(code in str(e) for code in OAUTH_ERROR_CODES), f"no RFC 6749 error code in: {e}"


def test_m2m_wrong_secret_rejected(fake, admin_sp):
    m2m = fake.client(client_id=admin_sp.application_id, client_secret="dose-not-the-secret",
                      auth_type="oauth-m2m")
    with pytest.raises(Exception) as excinfo:
        list(m2m.workspaces.list())
    assert_clean_oauth_error(excinfo)


def test_m2m_deleted_secret_rejected(fake, account, admin_sp):
    s = account.service_principal_secrets.create(service_principal_id=admin_sp.id, lifetime="3600s")
    ok = fake.client(client_id=admin_sp.application_id, client_secret=s.secret, auth_type="oauth-m2m")
    assert isinstance(list(ok.workspaces.list()), list)
    account.service_principal_secrets.delete(service_principal_id=admin_sp.id, secret_id=s.id)
    gone = fake.client(client_id=admin_sp.application_id, client_secret=s.secret, auth_type="oauth-m2m")
    with pytest.raises(Exception) as excinfo:
        list(gone.workspaces.list())
    assert_clean_oauth_error(excinfo)


# ------------------------------------------------------------------------- token federation


@pytest.fixture(params=["RS256", "ES256"])
def idp_key(request):
    return (RsaKey if request.param == "RS256" else EcKey)(uniq("kid"))


@pytest.fixture
def account_policy(account, idp_key):
    issuer = f"https://{uniq('idp')}.example.test"
    audience = uniq("aud")
    p = account.federation_policy.create(policy_id=uniq("xchg"), policy=oauth2.FederationPolicy(
        oidc_policy=oauth2.OidcFederationPolicy(issuer=issuer, audiences=[audience], subject_claim="sub",
                                                jwks_json=idp_key.jwks_json())))
    yield p, issuer, audience
    account.federation_policy.delete(p.policy_id)


def test_token_exchange_account_policy(fake, admin_user, account_policy, idp_key, monkeypatch):
    _, issuer, audience = account_policy
    monkeypatch.setenv("DATABRICKS_OIDC_TOKEN", idp_key.mint(iss=issuer, aud=audience, sub=admin_user.user_name))
    fed = fake.client(auth_type="env-oidc")
    assert fed.config.auth_type == "env-oidc"
    assert fed.users.get(admin_user.id).user_name == admin_user.user_name
    tok = fed.config.oauth_token()
    assert tok.access_token and tok.token_type == "Bearer"


def test_token_exchange_account_policy_rejects_foreign_key(fake, admin_user, account_policy, monkeypatch):
    _, issuer, audience = account_policy
    forged = RsaKey("kid-not-in-policy").mint(iss=issuer, aud=audience, sub=admin_user.user_name)
    monkeypatch.setenv("DATABRICKS_OIDC_TOKEN", forged)
    fed = fake.client(auth_type="env-oidc")
    with pytest.raises(Exception) as excinfo:
        list(fed.workspaces.list())
    assert_clean_oauth_error(excinfo)


def test_token_exchange_account_policy_rejects_wrong_audience(fake, admin_user, account_policy, idp_key,
                                                              monkeypatch):
    _, issuer, _ = account_policy
    monkeypatch.setenv("DATABRICKS_OIDC_TOKEN", idp_key.mint(iss=issuer, aud="someone-else", sub=admin_user.user_name))
    fed = fake.client(auth_type="env-oidc")
    with pytest.raises(Exception) as excinfo:
        list(fed.workspaces.list())
    assert_clean_oauth_error(excinfo)


@pytest.fixture
def sp_policy(account, admin_sp, idp_key):
    issuer = f"https://{uniq('ci')}.example.test"
    audience = uniq("aud")
    subject = f"repo:example-org/{uniq('repo')}:ref:refs/heads/main"
    p = account.service_principal_federation_policy.create(
        service_principal_id=int(admin_sp.id), policy_id=uniq("ci"), policy=oauth2.FederationPolicy(
            oidc_policy=oauth2.OidcFederationPolicy(issuer=issuer, audiences=[audience], subject=subject,
                                                    jwks_json=idp_key.jwks_json())))
    yield p, issuer, audience, subject
    account.service_principal_federation_policy.delete(int(admin_sp.id), p.policy_id)


def test_token_exchange_sp_policy(fake, admin_sp, sp_policy, idp_key, monkeypatch):
    _, issuer, audience, subject = sp_policy
    monkeypatch.setenv("DATABRICKS_OIDC_TOKEN", idp_key.mint(iss=issuer, aud=audience, sub=subject))
    fed = fake.client(auth_type="env-oidc", client_id=admin_sp.application_id)
    assert fed.config.auth_type == "env-oidc"
    assert fed.service_principals.get(admin_sp.id).application_id == admin_sp.application_id
    tok = fed.config.oauth_token()
    assert tok.access_token and tok.token_type == "Bearer"


def test_token_exchange_sp_policy_rejects_wrong_subject(fake, admin_sp, sp_policy, idp_key, monkeypatch):
    _, issuer, audience, _ = sp_policy
    monkeypatch.setenv("DATABRICKS_OIDC_TOKEN", idp_key.mint(iss=issuer, aud=audience, sub="repo:evil/fork:ref:x"))
    fed = fake.client(auth_type="env-oidc", client_id=admin_sp.application_id)
    with pytest.raises(Exception) as excinfo:
        list(fed.workspaces.list())
    assert_clean_oauth_error(excinfo)
