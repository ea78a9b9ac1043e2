#!/usr/bin/env python3
"""Drive every console operation through databricks-sdk against a recording server and print
what went over the wire (method, path, query, notable headers, body, status).

    python tools/record_wire.py [--bin target/debug/dbx-console] [--out record.jsonl]

By default it starts tools/stub_server.py with --record (server-side record). With --bin it starts
that mock-server binary instead and records on the client side by wrapping requests.Session.send.
Run it with the venv's python (the one with databricks-sdk, PyJWT[crypto]). Port 8020 must be
free for the U2M part.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import requests  # noqa: E402

from databricks.sdk import AccountClient  # noqa: E402
from databricks.sdk.service import iam, oauth2  # noqa: E402

import helpers  # noqa: E402  (tests/sdk_conformance/helpers.py)


def capture_client_side(out):
    """Record every exchange from the client side (for servers that cannot record themselves,
    e.g. the Rust fake): wrap requests.Session.send, which the SDK and requests.post both use."""
    orig = requests.Session.send

    def send(self, req, **kw):
        resp = orig(self, req, **kw)
        u = urllib.parse.urlsplit(req.url)
        body = req.body.decode() if isinstance(req.body, bytes) else (req.body or "")
        try:
            rbody = resp.json() if resp.content else None
        except ValueError:
            rbody = resp.text[:300]
        entry = {"method": req.method, "path": u.path, "query": u.query,
                 "headers": {k: v for k, v in req.headers.items() if k in
                             ("Content-Type", "Accept", "Authorization", "User-Agent")},
                 "body": body, "status": resp.status_code,
                 "response_headers": {k: v for k, v in resp.headers.items()
                                      if k.lower() in ("content-type", "location", "retry-after")},
                 "response": rbody}
        with open(out, "a") as f:
            f.write(json.dumps(entry) + "\n")
        return resp

    requests.Session.send = send


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "sdk-wire-record.jsonl"))
    ap.add_argument("--bin", help="record against this mock-server binary (client-side capture) "
                                  "instead of tools/stub_server.py")
    args = ap.parse_args()
    if os.path.exists(args.out):
        os.remove(args.out)
    home = tempfile.mkdtemp(prefix="sdk-home-")
    os.environ["HOME"] = home
    if args.bin:
        cmd = [args.bin, "mock-server", "--listen", "127.0.0.1:0", "--seed", "demo", "--page-cap", "3",
               "--auto-approve"]
        capture_client_side(args.out)
    else:
        cmd = [sys.executable, os.path.join(HERE, "stub_server.py"), "mock-server", "--listen", "127.0.0.1:0",
               "--seed", "demo", "--page-cap", "3", "--auto-approve", "--record", args.out]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        info = json.loads(proc.stdout.readline())
        run_all(info)
    finally:
        proc.terminate()
        proc.wait()
        print_record(args.out)


def mark(info, label):
    # A marker request so the record can be split per operation.
    requests.get(f"{info['host']}/__mark__/{urllib.parse.quote(label)}")


def run_all(info):
    host, acct, token = info["host"], info["account_id"], info["token"]
    mark(info, "pat client construction")
    a = AccountClient(host=host, account_id=acct, token=token, auth_type="pat")

    mark(info, "users")
    u = a.users.create(user_name="wire@example.com", display_name="Wire User",
                       name=iam.Name(given_name="Wire", family_name="User"), active=True,
                       emails=[iam.ComplexValue(value="wire@example.com", type="work", primary=True)],
                       roles=[iam.ComplexValue(value="account_admin")])
    a.users.get(u.id)
    list(a.users.list())
    list(a.users.list(filter='userName eq "wire@example.com"', attributes="id,userName"))
    a.users.update(u.id, user_name="wire@example.com", display_name="Wire U", active=True,
                   roles=[iam.ComplexValue(value="account_admin")])
    a.users.patch(u.id, operations=[iam.Patch(op=iam.PatchOp.REPLACE, value={"active": False})],
                  schemas=[iam.PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP])
    mark(info, "users.patch quirk: value=False is dropped by the SDK (expected to be refused)")
    try:
        a.users.patch(u.id, operations=[iam.Patch(op=iam.PatchOp.REPLACE, path="active", value=False)],
                      schemas=[iam.PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP])
    except Exception as e:  # noqa: BLE001
        print(f"value-less replace refused: {e}", file=sys.stderr)
    a.users.patch(u.id, operations=[iam.Patch(op=iam.PatchOp.REPLACE, value={"active": True})],
                  schemas=[iam.PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP])

    mark(info, "groups")
    g = a.groups.create(display_name="wire-group", members=[iam.ComplexValue(value=u.id)])
    a.groups.get(g.id)
    list(a.groups.list())
    a.groups.update(g.id, display_name="wire-group-2", members=[iam.ComplexValue(value=u.id)])
    a.groups.patch(g.id, operations=[iam.Patch(op=iam.PatchOp.REMOVE, path=f'members[value eq "{u.id}"]')],
                   schemas=[iam.PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP])

    mark(info, "service_principals")
    sp = a.service_principals.create(display_name="wire-sp", active=True,
                                     roles=[iam.ComplexValue(value="account_admin")])
    a.service_principals.get(sp.id)
    list(a.service_principals.list())
    a.service_principals.update(sp.id, application_id=sp.application_id, display_name="wire-sp-2", active=True,
                                roles=[iam.ComplexValue(value="account_admin")])
    a.service_principals.patch(sp.id, operations=[iam.Patch(op=iam.PatchOp.REPLACE, path="displayName",
                                                            value="wire-sp-3")],
                               schemas=[iam.PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP])

    mark(info, "service_principal_secrets")
    sec = a.service_principal_secrets.create(service_principal_id=sp.id, lifetime="7776000s")
    list(a.service_principal_secrets.list(service_principal_id=sp.id))

    mark(info, "oauth-m2m")
    m2m = AccountClient(host=host, account_id=acct, client_id=sp.application_id, client_secret=sec.secret,
                        auth_type="oauth-m2m")
    list(m2m.workspaces.list())

    mark(info, "custom_app_integration")
    c = a.custom_app_integration.create(name="wire-app", confidential=True,
                                        redirect_urls=["http://localhost:7070/cb"], scopes=["all-apis"],
                                        token_access_policy=oauth2.TokenAccessPolicy(
                                            access_token_ttl_in_minutes=60, refresh_token_ttl_in_minutes=1440))
    a.custom_app_integration.get(c.integration_id)
    list(a.custom_app_integration.list(include_creator_username=True))
    a.custom_app_integration.update(c.integration_id, redirect_urls=["http://localhost:7071/cb"])
    a.custom_app_integration.delete(c.integration_id)

    mark(info, "published_app_integration + o_auth_published_apps")
    catalog = [x.app_id for x in a.o_auth_published_apps.list()]
    taken = {x.app_id for x in a.published_app_integration.list()}
    free = [x for x in catalog if x not in taken and x != "databricks-cli"]
    p = a.published_app_integration.create(app_id=free[0], token_access_policy=oauth2.TokenAccessPolicy(
        access_token_ttl_in_minutes=60, refresh_token_ttl_in_minutes=10080))
    a.published_app_integration.get(p.integration_id)
    list(a.published_app_integration.list())
    a.published_app_integration.update(p.integration_id, token_access_policy=oauth2.TokenAccessPolicy(
        access_token_ttl_in_minutes=30, refresh_token_ttl_in_minutes=1440))
    a.published_app_integration.delete(p.integration_id)

    mark(info, "federation_policy (account)")
    key = helpers.RsaKey("wire-kid")
    issuer = "https://idp.example.test"
    pol = a.federation_policy.create(policy=oauth2.FederationPolicy(
        description="wire", oidc_policy=oauth2.OidcFederationPolicy(
            issuer=issuer, audiences=["wire-aud"], subject_claim="sub", jwks_json=key.jwks_json())),
        policy_id="wire-acct")
    a.federation_policy.get(pol.policy_id)
    list(a.federation_policy.list())
    a.federation_policy.update(pol.policy_id, policy=oauth2.FederationPolicy(
        description="wire2", oidc_policy=oauth2.OidcFederationPolicy(audiences=["wire-aud", acct])),
        update_mask="description,oidc_policy.audiences")

    mark(info, "env-oidc (account-wide federation, no client_id)")
    os.environ["DATABRICKS_OIDC_TOKEN"] = key.mint(iss=issuer, aud="wire-aud", sub=u.user_name)
    fed = AccountClient(host=host, account_id=acct, auth_type="env-oidc")
    list(fed.workspaces.list())

    mark(info, "service_principal_federation_policy")
    spol = a.service_principal_federation_policy.create(
        service_principal_id=int(sp.id), policy_id="wire-sp-pol",
        policy=oauth2.FederationPolicy(oidc_policy=oauth2.OidcFederationPolicy(
            issuer=issuer, audiences=["wire-aud"], subject="repo:x", jwks_json=key.jwks_json())))
    a.service_principal_federation_policy.get(int(sp.id), spol.policy_id)
    list(a.service_principal_federation_policy.list(int(sp.id)))
    a.service_principal_federation_policy.update(int(sp.id), spol.policy_id, policy=oauth2.FederationPolicy(
        description="d"), update_mask="description")

    mark(info, "env-oidc (SP federation, client_id)")
    os.environ["DATABRICKS_OIDC_TOKEN"] = key.mint(iss=issuer, aud="wire-aud", sub="repo:x")
    fed2 = AccountClient(host=host, account_id=acct, client_id=sp.application_id, auth_type="env-oidc")
    list(fed2.workspaces.list())
    del os.environ["DATABRICKS_OIDC_TOKEN"]
    a.service_principal_federation_policy.delete(int(sp.id), spol.policy_id)
    a.federation_policy.delete(pol.policy_id)

    mark(info, "workspaces + workspace_assignment")
    wss = list(a.workspaces.list())
    ws = a.workspaces.get(wss[0].workspace_id)
    list(a.workspace_assignment.list(ws.workspace_id))
    a.workspace_assignment.get(ws.workspace_id)
    a.workspace_assignment.update(ws.workspace_id, int(g.id), permissions=[iam.WorkspacePermission.USER])
    a.workspace_assignment.delete(ws.workspace_id, int(g.id))

    mark(info, "access_control")
    rs_name = f"accounts/{acct}/servicePrincipals/{sp.application_id}/ruleSets/default"
    a.access_control.get_assignable_roles_for_resource(f"accounts/{acct}/servicePrincipals/{sp.application_id}")
    rs = a.access_control.get_rule_set(rs_name, "")
    a.access_control.update_rule_set(rs_name, iam.RuleSetUpdateRequest(
        name=rs_name, etag=rs.etag, grant_rules=[iam.GrantRule(role="roles/servicePrincipal.user",
                                                              principals=[f"users/{u.user_name}"])]))

    mark(info, "deletes")
    a.service_principal_secrets.delete(service_principal_id=sp.id, secret_id=sec.id)
    a.groups.delete(g.id)
    a.service_principals.delete(sp.id)
    a.users.delete(u.id)

    mark(info, "external-browser (U2M login)")
    with helpers.scripted_browser():
        ub = AccountClient(host=host, account_id=acct, auth_type="external-browser")
    list(ub.workspaces.list())
    mark(info, "external-browser refresh (cached token made to look expired)")
    helpers.expire_sdk_token_cache()
    with helpers.no_browser():
        ub2 = AccountClient(host=host, account_id=acct, auth_type="external-browser")
    list(ub2.workspaces.list())


def print_record(path):
    with open(path) as f:
        entries = [json.loads(line) for line in f]
    for e in entries:
        if e["path"].startswith("/__mark__/"):
            print("\n### " + urllib.parse.unquote(e["path"][len("/__mark__/"):]))
            continue
        q = ("?" + e["query"]) if e["query"] else ""
        h = e["headers"]
        auth = h.get("Authorization", "")
        auth = auth.split(" ")[0] + " <...>" if auth else "-"
        print(f"{e['method']} {e['path']}{q}")
        print(f"    Content-Type={h.get('Content-Type', '-')} Accept={h.get('Accept', '-')} Authorization={auth}")
        if e["body"]:
            print(f"    body: {e['body'][:400]}")
        resp = json.dumps(e["response"])[:300] if e["response"] is not None else "(empty)"
        ct = (e.get("response_headers") or {})
        ct = ct.get("Content-Type") or ct.get("content-type") or "-"
        print(f"    -> {e['status']} [{ct}] {resp}")


if __name__ == "__main__":
    main()
