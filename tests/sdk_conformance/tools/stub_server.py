#!/usr/bin/env python3
"""Recording stub of the Databricks account API (development aid, NOT the fake under test).

It mimics the command line of the Rust fake so the conformance suite can be pointed at it:

    DBX_CONSOLE_BIN=tests/sdk_conformance/tools/stub_server.py bash tests/sdk_conformance/run.sh

    stub_server.py mock-server --listen 127.0.0.1:0 --seed demo [--page-cap N] [--auto-approve]
                               [--record FILE.jsonl]

First stdout line: {"host": ..., "account_id": ..., "token": ...}. With --record, every request and
response is appended to FILE.jsonl (method, path, query, notable headers, body, status, response),
which is what WIRE_NOTES.md was written from (see tools/record_wire.py).

It follows shared/databricks-account-api.md loosely and is deliberately simple: it exists to
record what the official SDK sends and to develop the suite before the Rust fake exists. Only the
standard library is needed; JWT signatures of federated tokens are verified when PyJWT is
importable, otherwise only the claims are checked.
"""
import argparse
import base64
import hashlib
import html
import json
import secrets
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT_ID = "0d4a3e4c-1b2f-4c5d-9e8f-0123456789ab"
NOTABLE_HEADERS = ("Content-Type", "Accept", "Authorization", "User-Agent", "Origin", "Cookie")


def now_rfc3339(delta=timedelta()):
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%S.") + "000Z"


def b64url_nopad(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


class Store:
    def __init__(self, page_cap):
        self.lock = threading.RLock()
        self.page_cap = page_cap
        self.next_id = 1000000000000001
        self.tokens = {}  # access token -> info
        self.refresh = {}  # refresh token -> info
        self.codes = {}
        self.users, self.groups, self.sps = {}, {}, {}
        self.custom_apps, self.published_integrations = {}, {}
        self.secrets = {}  # sp_id -> {secret_id: info}
        self.account_policies = {}
        self.sp_policies = {}  # sp_id -> {policy_id: policy}
        self.rule_sets = {}
        self.assignments = {}  # ws_id -> {principal_id: [perms]}
        self.catalog = [
            {"app_id": "databricks-cli", "client_id": "databricks-cli", "name": "Databricks CLI",
             "description": "Databricks command line", "is_confidential_client": False,
             "redirect_urls": ["http://localhost:8020"], "scopes": ["all-apis", "offline_access"]},
            {"app_id": "power-bi", "client_id": "power-bi", "name": "Power BI", "description": "Power BI",
             "is_confidential_client": False, "redirect_urls": ["https://oauth.powerbi.com/views/oauthredirect.html"],
             "scopes": ["all-apis", "offline_access"]},
            {"app_id": "tableau-desktop", "client_id": "tableau-desktop", "name": "Tableau Desktop",
             "description": "Tableau Desktop connector", "is_confidential_client": False,
             "redirect_urls": ["http://localhost:55555/Callback"], "scopes": ["all-apis", "offline_access"]},
            {"app_id": "databricks-dbt-adapter", "client_id": "databricks-dbt-adapter", "name": "dbt adapter",
             "description": "dbt", "is_confidential_client": False,
             "redirect_urls": ["http://localhost:8020"], "scopes": ["all-apis", "offline_access"]},
        ]
        self.workspaces = [
            {"workspace_id": 1234567890123456, "workspace_name": "analytics-prod",
             "deployment_name": "dbc-1a2b3c4d-5e6f", "account_id": ACCOUNT_ID, "cloud": "aws",
             "aws_region": "us-east-1", "pricing_tier": "ENTERPRISE", "workspace_status": "RUNNING",
             "workspace_status_message": "Workspace is running.", "creation_time": 1704067200000,
             "compute_mode": "HYBRID", "custom_tags": {"cost-center": "1234"}},
            {"workspace_id": 2234567890123456, "workspace_name": "sandbox",
             "deployment_name": "dbc-2b3c4d5e-6f70", "account_id": ACCOUNT_ID, "cloud": "aws",
             "aws_region": "eu-west-1", "pricing_tier": "PREMIUM", "workspace_status": "RUNNING",
             "creation_time": 1714067200000},
        ]
        admin = self.add("users", {"userName": "admin@example.com", "displayName": "Admin",
                                   "active": True, "roles": [{"value": "account_admin"}],
                                   "emails": [{"value": "admin@example.com", "type": "work", "primary": True}]})
        self.admin_id = admin["id"]
        self.admin_token = "dapi" + secrets.token_hex(16)
        self.tokens[self.admin_token] = {"sub": admin["userName"], "exp": time.time() + 10 ** 8}

    def new_id(self):
        with self.lock:
            self.next_id += 7
            return str(self.next_id)

    def coll(self, kind):
        return {"users": self.users, "groups": self.groups, "sps": self.sps}[kind]

    def add(self, kind, res):
        res = dict(res)
        res["id"] = self.new_id()
        res.pop("meta", None)
        schema = {"users": "User", "groups": "Group", "sps": "ServicePrincipal"}[kind]
        res["schemas"] = [f"urn:ietf:params:scim:schemas:core:2.0:{schema}"]
        if kind == "sps" and not res.get("applicationId"):
            res["applicationId"] = str(uuid.uuid4())
        if kind == "groups":
            res["meta"] = {"resourceType": "Group"}
        self.coll(kind)[res["id"]] = res
        return res

    def issue(self, sub, refresh=False, client_id=None, ttl=3600):
        at = "doat" + secrets.token_hex(20)
        self.tokens[at] = {"sub": sub, "exp": time.time() + ttl}
        out = {"access_token": at, "token_type": "Bearer", "expires_in": ttl, "scope": "all-apis"}
        if refresh:
            rt = "doau" + secrets.token_hex(20)
            self.refresh[rt] = {"sub": sub, "client_id": client_id}
            out["refresh_token"] = rt
            out["scope"] = "all-apis offline_access"
        return out


class ApiError(Exception):
    def __init__(self, status, body):
        self.status, self.body = status, body


def err(status, code, msg):
    return ApiError(status, {"error_code": code, "message": msg})


def scim_err(status, detail):
    return ApiError(status, {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                             "detail": detail, "status": str(status)})


def paginate_tokens(items, query, cap):
    size = int(query.get("page_size", ["100"])[0] or 100)
    size = max(1, min(size, cap or 1000))
    start = int(query.get("page_token", ["0"])[0] or 0)
    page = items[start:start + size]
    nxt = start + size
    return page, (str(nxt) if nxt < len(items) else None)


def make_handler(store, cfg):
    acct = ACCOUNT_ID

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            sys.stderr.write("stub: " + (fmt % args) + "\n")

        # ---- plumbing -------------------------------------------------------------------------
        def _read_body(self):
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n).decode() if n else ""

        def _record(self, raw_body, status, resp_headers, resp_body):
            if not cfg.record:
                return
            u = urllib.parse.urlsplit(self.path)
            entry = {
                "method": self.command, "path": u.path, "query": u.query,
                "headers": {k: self.headers[k] for k in NOTABLE_HEADERS if self.headers.get(k) is not None},
                "body": raw_body, "status": status, "response_headers": resp_headers,
                "response": resp_body,
            }
            with cfg.record_lock, open(cfg.record, "a") as f:
                f.write(json.dumps(entry) + "\n")

        def _send(self, status, body=None, ctype="application/json", headers=None, raw_body=""):
            data = b""
            if body is not None:
                data = (json.dumps(body) if ctype.startswith("application/") and not isinstance(body, str)
                        else body).encode()
            self.send_response(status)
            hdrs = dict(headers or {})
            if body is not None:
                hdrs["Content-Type"] = ctype
            hdrs["Content-Length"] = str(len(data))
            for k, v in hdrs.items():
                self.send_header(k, v)
            self.end_headers()
            if data:
                self.wfile.write(data)
            self._record(raw_body, status, hdrs, body if not isinstance(body, bytes) else "<bytes>")

        def do_GET(self):
            self._dispatch()

        def do_POST(self):
            self._dispatch()

        def do_PUT(self):
            self._dispatch()

        def do_PATCH(self):
            self._dispatch()

        def do_DELETE(self):
            self._dispatch()

        def _dispatch(self):
            raw = self._read_body()
            u = urllib.parse.urlsplit(self.path)
            path, query = u.path, urllib.parse.parse_qs(u.query, keep_blank_values=True)
            try:
                with store.lock:
                    out = self.route(self.command, path, query, raw)
                if out is None:
                    self._send(200, {}, raw_body=raw)
                elif isinstance(out, tuple):
                    status, body, *rest = out
                    ctype = rest[0] if rest else "application/json"
                    headers = rest[1] if len(rest) > 1 else None
                    self._send(status, body, ctype, headers, raw_body=raw)
                else:
                    self._send(200, out, raw_body=raw)
            except ApiError as e:
                self._send(e.status, e.body, raw_body=raw)
            except Exception as e:  # noqa: BLE001
                self._send(500, {"error_code": "INTERNAL_ERROR", "message": repr(e)}, raw_body=raw)

        def host(self):
            return f"http://{self.headers.get('Host')}"

        def auth(self):
            h = self.headers.get("Authorization", "")
            if not h.startswith("Bearer "):
                raise err(401, "UNAUTHENTICATED", "missing bearer token")
            info = store.tokens.get(h[7:])
            if not info or info["exp"] < time.time():
                raise err(401, "UNAUTHENTICATED", "invalid access token")
            return info

        # ---- routing --------------------------------------------------------------------------
        def route(self, m, path, q, raw):
            oidc = f"/oidc/accounts/{acct}"
            if m == "GET" and path == "/.well-known/databricks-config":
                return {"oidc_endpoint": f"{self.host()}/oidc/accounts/{{account_id}}",
                        "account_id": acct, "cloud": "AWS"}
            if m == "GET" and path == oidc + "/.well-known/oauth-authorization-server":
                base = self.host() + oidc
                return {"issuer": base, "authorization_endpoint": base + "/v1/authorize",
                        "token_endpoint": base + "/v1/token", "jwks_uri": base + "/v1/keys",
                        "response_types_supported": ["code"], "code_challenge_methods_supported": ["S256"]}
            if path == oidc + "/v1/authorize":
                return self.authorize(m, q, raw)
            if m == "POST" and path == oidc + "/v1/token":
                return self.token(raw)
            self.auth()
            if cfg.rate_limit:
                now = time.monotonic()
                store.hits = [t for t in getattr(store, "hits", []) if now - t < 1.0]
                if len(store.hits) >= cfg.rate_limit:
                    return 429, {"error_code": "REQUEST_LIMIT_EXCEEDED",
                                 "message": "Too many requests. Please retry after a short delay."}, \
                        "application/json", {"Retry-After": "1"}
                store.hits.append(now)
            api = f"/api/2.0/accounts/{acct}"
            if path.startswith(api + "/scim/v2/"):
                return self.scim(m, path[len(api + "/scim/v2/"):].split("/"), q, raw)
            if path.startswith(api + "/oauth2/"):
                return self.oauth2(m, path[len(api + "/oauth2/"):].split("/"), q, raw)
            if path.startswith(api + "/servicePrincipals/"):
                return self.sp_sub(m, path[len(api + "/servicePrincipals/"):].split("/"), q, raw)
            if path.startswith(api + "/federationPolicies"):
                rest = path[len(api + "/federationPolicies"):].strip("/")
                return self.policies(m, store.account_policies, rest, q, raw, None)
            if path.startswith(api + "/workspaces"):
                return self.workspaces(m, path[len(api + "/workspaces"):].strip("/").split("/"), q, raw)
            if path.startswith(f"/api/2.0/preview/accounts/{acct}/access-control/"):
                return self.access(m, path.rsplit("/", 1)[1], q, raw)
            raise err(404, "NOT_FOUND", f"no route {m} {path}")

        # ---- OAuth ----------------------------------------------------------------------------
        def authorize(self, m, q, raw):
            params = {k: v[0] for k, v in q.items()}
            if m == "POST":
                params.update({k: v[0] for k, v in urllib.parse.parse_qs(raw).items()})
            for k in ("response_type", "client_id", "redirect_uri", "state", "code_challenge"):
                if not params.get(k):
                    return 400, f"<p>missing {k}</p>", "text/html"
            if not cfg.auto_approve and m == "GET":
                hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                                 for k, v in params.items())
                return 200, f"<form method=post>{hidden}<button>Allow</button></form>", "text/html"
            code = "dcod" + secrets.token_hex(16)
            store.codes[code] = {**params, "sub": "admin@example.com"}
            sep = "&" if "?" in params["redirect_uri"] else "?"
            loc = params["redirect_uri"] + sep + urllib.parse.urlencode({"code": code, "state": params["state"]})
            return 302, None, "application/json", {"Location": loc}

        def token(self, raw):
            f = {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}
            basic = self.headers.get("Authorization", "")
            if basic.startswith("Basic "):
                cid, _, csec = base64.b64decode(basic[6:]).decode().partition(":")
                f.setdefault("client_id", cid)
                f.setdefault("client_secret", csec)
            g = f.get("grant_type")

            def oerr(code, desc, status=400):
                return status, {"error": code, "error_description": desc}

            if g == "authorization_code":
                c = store.codes.pop(f.get("code", ""), None)
                if not c:
                    return oerr("invalid_grant", "unknown code")
                ver = f.get("code_verifier", "")
                if b64url_nopad(hashlib.sha256(ver.encode()).digest()) != c["code_challenge"]:
                    return oerr("invalid_grant", "PKCE verification failed")
                if f.get("redirect_uri") != c["redirect_uri"] or f.get("client_id") != c["client_id"]:
                    return oerr("invalid_grant", "redirect_uri/client_id mismatch")
                return store.issue(c["sub"], refresh="offline_access" in c.get("scope", ""),
                                   client_id=c["client_id"])
            if g == "refresh_token":
                r = store.refresh.pop(f.get("refresh_token", ""), None)
                if not r:
                    return oerr("invalid_grant", "Refresh token is invalid")
                return store.issue(r["sub"], refresh=True, client_id=r["client_id"])
            if g == "client_credentials":
                sp = next((s for s in store.sps.values() if s["applicationId"] == f.get("client_id")), None)
                ok = sp and any(s["secret"] == f.get("client_secret")
                                for s in store.secrets.get(sp["id"], {}).values())
                if not ok:
                    return oerr("invalid_client", "Client authentication failed", 401)
                return store.issue(sp["applicationId"])
            if g == "urn:ietf:params:oauth:grant-type:token-exchange":
                return self.exchange(f, oerr)
            return oerr("unsupported_grant_type", str(g))

        def exchange(self, f, oerr):
            tok = f.get("subject_token", "")
            try:
                hdr_b, pay_b, _ = tok.split(".")
                claims = json.loads(base64.urlsafe_b64decode(pay_b + "=="))
                header = json.loads(base64.urlsafe_b64decode(hdr_b + "=="))
            except Exception:  # noqa: BLE001
                return oerr("invalid_request", "subject_token is not a JWT")
            if f.get("client_id"):
                sp = next((s for s in store.sps.values() if s["applicationId"] == f["client_id"]), None)
                if not sp:
                    return oerr("invalid_client", "unknown client_id")
                pols = list(store.sp_policies.get(sp["id"], {}).values())
            else:
                sp, pols = None, list(store.account_policies.values())
            auds = claims.get("aud")
            auds = [auds] if isinstance(auds, str) else (auds or [])
            for p in pols:
                o = p.get("oidc_policy", {})
                if o.get("issuer") != claims.get("iss"):
                    continue
                if not set(auds) & set(o.get("audiences") or [ACCOUNT_ID]):
                    continue
                subject = claims.get(o.get("subject_claim") or "sub")
                if sp and subject != o.get("subject"):
                    continue
                if not self.verify_sig(tok, header, o):
                    continue
                if sp:
                    return store.issue(sp["applicationId"])
                who = next((u["userName"] for u in store.users.values() if u["userName"] == subject), None) or \
                    next((s["applicationId"] for s in store.sps.values() if s["applicationId"] == subject), None)
                if who:
                    return store.issue(who)
            return oerr("invalid_grant", "no federation policy matches the token")

        def verify_sig(self, tok, header, o):
            try:
                import jwt  # noqa: PLC0415
            except ImportError:
                return True
            if not o.get("jwks_json"):
                return True
            keys = json.loads(o["jwks_json"]).get("keys", [])
            for k in keys:
                if header.get("kid") and k.get("kid") and k["kid"] != header["kid"]:
                    continue
                try:
                    key = jwt.PyJWK(k).key
                    jwt.decode(tok, key, algorithms=["RS256", "ES256"], options={"verify_aud": False})
                    return True
                except Exception:  # noqa: BLE001
                    continue
            return False

        # ---- SCIM -----------------------------------------------------------------------------
        def scim(self, m, parts, q, raw):
            kind = {"Users": "users", "Groups": "groups", "ServicePrincipals": "sps"}.get(parts[0])
            if not kind:
                raise scim_err(404, "unknown resource type")
            coll = store.coll(kind)
            if len(parts) == 1:
                if m == "GET":
                    items = sorted(coll.values(), key=lambda r: int(r["id"]))
                    flt = q.get("filter", [""])[0]
                    if flt:
                        attr, op, val = flt.split(" ", 2)
                        val = val.strip('"')
                        attr = {"username": "userName", "displayname": "displayName",
                                "applicationid": "applicationId"}.get(attr.lower(), attr)
                        ops = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
                               "co": lambda a, b: b in a, "sw": lambda a, b: a.startswith(b)}
                        items = [r for r in items if ops[op.lower()](str(r.get(attr, "")), val)]
                    total = len(items)
                    start = int(q.get("startIndex", ["1"])[0])
                    count = int(q.get("count", ["100"])[0])
                    count = min(count, cfg.page_cap or 100)
                    page = items[start - 1:start - 1 + count]
                    if kind == "groups":
                        page = [{k: v for k, v in r.items() if k != "members"} for r in page]
                    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                            "totalResults": total, "startIndex": start, "itemsPerPage": len(page)}
                    if page:
                        body["Resources"] = page
                    return body
                if m == "POST":
                    body = json.loads(raw or "{}")
                    key = {"users": "userName", "groups": "displayName", "sps": "applicationId"}[kind]
                    if body.get(key) and any(r.get(key) == body[key] for r in coll.values()):
                        raise scim_err(409, f"{key} already exists")
                    return 201, store.add(kind, body), "application/scim+json"
            rid = parts[1]
            if rid not in coll:
                raise scim_err(404, f"{parts[0]} with id {rid} not found.")
            r = coll[rid]
            if m == "GET":
                if kind != "groups":
                    mine = [{"value": g["id"], "display": g.get("displayName"), "type": "direct"}
                            for g in store.groups.values()
                            if any(x.get("value") == rid for x in g.get("members", []))]
                    return {**r, "groups": mine} if mine else {k: v for k, v in r.items() if k != "groups"}
                return r
            if m == "DELETE":
                del coll[rid]
                return 204, None
            if m == "PUT":
                body = json.loads(raw or "{}")
                keep = {k: r[k] for k in ("id", "schemas", "userName", "applicationId", "meta") if k in r}
                coll[rid] = {**{k: v for k, v in body.items() if k not in keep}, **keep}
                return coll[rid]
            if m == "PATCH":
                body = json.loads(raw or "{}")
                if body.get("schemas") != ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]:
                    raise scim_err(400, "schemas must be the PatchOp URN")
                for op in body.get("Operations", []):
                    self.apply_patch(r, op)
                return 204, None
            raise scim_err(405, "method not allowed")

        def apply_patch(self, r, op):
            kind, path, val = op.get("op", "").lower(), op.get("path"), op.get("value")
            if not path:
                for k, v in (val or {}).items():
                    self.apply_patch(r, {"op": kind, "path": k, "value": v})
                return
            if "[" in path:
                attr, rest = path.split("[", 1)
                target = rest.split('"')[1]
                if kind == "remove":
                    r[attr] = [e for e in r.get(attr, []) if e.get("value") != target]
                return
            if kind == "remove":
                r.pop(path, None)
            elif kind == "add" and isinstance(val, list):
                cur = r.setdefault(path, [])
                for e in val:
                    if e.get("value") not in {c.get("value") for c in cur}:
                        cur.append(e)
            else:
                r[path] = val

        # ---- OAuth apps -----------------------------------------------------------------------
        def oauth2(self, m, parts, q, raw):
            kind = parts[0]
            if kind == "published-apps" and m == "GET":
                page, nxt = paginate_tokens(store.catalog, q, cfg.page_cap)
                out = {"apps": page}
                if nxt:
                    out["next_page_token"] = nxt
                return out
            coll = {"custom-app-integrations": store.custom_apps,
                    "published-app-integrations": store.published_integrations}.get(kind)
            if coll is None:
                raise err(404, "NOT_FOUND", "no such oauth2 collection")
            if len(parts) == 1 and m == "GET":
                items = list(coll.values())
                page, nxt = paginate_tokens(items, q, cfg.page_cap)
                inc = q.get("include_creator_username", ["false"])[0] == "true"
                page = [{k: v for k, v in a.items() if k not in ("client_secret",) and
                         (inc or k != "creator_username")} for a in page]
                out = {"apps": page}
                if nxt:
                    out["next_page_token"] = nxt
                return out
            if len(parts) == 1 and m == "POST":
                body = json.loads(raw or "{}")
                iid = str(uuid.uuid4())
                meta = {"integration_id": iid, "create_time": now_rfc3339(),
                        "created_by": int(store.admin_id), "creator_username": "admin@example.com"}
                if kind == "custom-app-integrations":
                    app = {**body, **meta, "client_id": str(uuid.uuid4())}
                    app.setdefault("confidential", False)
                    coll[iid] = app
                    out = {"integration_id": iid, "client_id": app["client_id"]}
                    if app["confidential"]:
                        out["client_secret"] = "dose" + secrets.token_hex(16)
                    return out
                cat = next((c for c in store.catalog if c["app_id"] == body.get("app_id")), None)
                if not cat:
                    raise err(400, "INVALID_PARAMETER_VALUE", "unknown app_id")
                if any(a["app_id"] == cat["app_id"] for a in coll.values()):
                    raise err(409, "RESOURCE_ALREADY_EXISTS", "already integrated")
                meta.pop("creator_username")
                coll[iid] = {**body, **meta, "name": cat["name"]}
                return {"integration_id": iid}
            iid = parts[1]
            if iid not in coll:
                raise err(404, "RESOURCE_DOES_NOT_EXIST", f"integration {iid} does not exist")
            if m == "GET":
                return {k: v for k, v in coll[iid].items() if k != "creator_username"}
            if m == "DELETE":
                del coll[iid]
                return {}
            if m == "PATCH":
                body = json.loads(raw or "{}")
                for k in ("redirect_urls", "scopes", "user_authorized_scopes", "token_access_policy"):
                    if k in body:
                        coll[iid][k] = body[k]
                return {}
            raise err(405, "BAD_REQUEST", "method")

        # ---- SP secrets + SP federation policies ----------------------------------------------
        def sp_sub(self, m, parts, q, raw):
            spid = parts[0]
            if spid not in store.sps:
                raise err(404, "RESOURCE_DOES_NOT_EXIST", f"service principal {spid} does not exist")
            if parts[1:3] == ["credentials", "secrets"]:
                secs = store.secrets.setdefault(spid, {})
                if len(parts) == 3 and m == "POST":
                    body = json.loads(raw or "{}")
                    life = int(str(body.get("lifetime", "63072000s")).rstrip("s"))
                    sid = secrets.token_hex(32)
                    val = "dose" + secrets.token_hex(18)
                    info = {"id": sid, "secret_hash": hashlib.sha256(val.encode()).hexdigest(),
                            "create_time": now_rfc3339(), "update_time": now_rfc3339(),
                            "expire_time": now_rfc3339(timedelta(seconds=life)), "status": "ACTIVE"}
                    if body.get("scopes"):
                        info["scopes"] = body["scopes"]
                    secs[sid] = {**info, "secret": val}
                    return {**info, "secret": val}
                if len(parts) == 3 and m == "GET":
                    items = [{k: v for k, v in s.items() if k != "secret"} for s in secs.values()]
                    page, nxt = paginate_tokens(items, q, cfg.page_cap)
                    out = {"secrets": page}
                    if nxt:
                        out["next_page_token"] = nxt
                    return out
                if len(parts) == 4 and m == "DELETE":
                    if parts[3] not in secs:
                        raise err(404, "RESOURCE_DOES_NOT_EXIST", "secret does not exist")
                    del secs[parts[3]]
                    return {}
            if parts[1] == "federationPolicies":
                pols = store.sp_policies.setdefault(spid, {})
                return self.policies(m, pols, "/".join(parts[2:]), q, raw, spid)
            raise err(404, "NOT_FOUND", "no such route")

        def policies(self, m, pols, rest, q, raw, spid):
            prefix = f"accounts/{acct}/" + (f"servicePrincipals/{spid}/" if spid else "")
            if not rest and m == "GET":
                page, nxt = paginate_tokens(list(pols.values()), q, cfg.page_cap)
                out = {"policies": page}
                if nxt:
                    out["next_page_token"] = nxt
                return out
            if not rest and m == "POST":
                body = json.loads(raw or "{}")
                pid = q.get("policy_id", [""])[0] or ("p-" + secrets.token_hex(4))
                if pid in pols:
                    raise err(409, "RESOURCE_ALREADY_EXISTS", "policy exists")
                pol = {k: v for k, v in body.items()
                       if k not in ("name", "policy_id", "uid", "create_time", "update_time", "service_principal_id")}
                pol.update({"name": prefix + "federationPolicies/" + pid, "policy_id": pid,
                            "uid": str(uuid.uuid4()), "create_time": now_rfc3339(), "update_time": now_rfc3339()})
                if spid:
                    pol["service_principal_id"] = int(spid)
                pols[pid] = pol
                return pol
            if rest not in pols:
                raise err(404, "RESOURCE_DOES_NOT_EXIST", f"policy {rest} does not exist")
            pol = pols[rest]
            if m == "GET":
                return pol
            if m == "DELETE":
                del pols[rest]
                return {}
            if m == "PATCH":
                body = json.loads(raw or "{}")
                mask = q.get("update_mask", [""])[0]
                paths = mask.split(",") if mask else None
                if not paths:
                    for k in ("description", "oidc_policy"):
                        if k in body:
                            pol[k] = body[k]
                else:
                    for p in paths:
                        if "." in p:
                            a, b = p.split(".", 1)
                            src = body.get(a, {})
                            if b in src:
                                pol.setdefault(a, {})[b] = src[b]
                            else:
                                pol.get(a, {}).pop(b, None)
                        elif p in body:
                            pol[p] = body[p]
                        else:
                            pol.pop(p, None)
                pol["update_time"] = now_rfc3339()
                return pol
            raise err(405, "BAD_REQUEST", "method")

        # ---- workspaces + assignments ---------------------------------------------------------
        def workspaces(self, m, parts, q, raw):
            if parts == [""] and m == "GET":
                return store.workspaces
            ws = next((w for w in store.workspaces if str(w["workspace_id"]) == parts[0]), None)
            if not ws:
                raise err(404, "RESOURCE_DOES_NOT_EXIST", "workspace does not exist")
            if len(parts) == 1 and m == "GET":
                return ws
            if parts[1] != "permissionassignments":
                raise err(404, "NOT_FOUND", "no route")
            asg = store.assignments.setdefault(ws["workspace_id"], {})
            if len(parts) == 2 and m == "GET":
                return {"permission_assignments": [self.pa(pid, perms) for pid, perms in asg.items()]}
            if parts[2:] == ["permissions"] and m == "GET":
                return {"permissions": [{"permission_level": "USER", "description": "Can use the workspace"},
                                        {"permission_level": "ADMIN", "description": "Can administer the workspace"}]}
            if len(parts) == 4 and parts[2] == "principals":
                pid = parts[3]
                if m == "PUT":
                    perms = [p for p in json.loads(raw or "{}").get("permissions", []) if p in ("USER", "ADMIN")]
                    if "ADMIN" in perms:
                        perms = ["ADMIN"]
                    if perms:
                        asg[pid] = perms
                    else:
                        asg.pop(pid, None)
                    return self.pa(pid, perms)
                if m == "DELETE":
                    asg.pop(pid, None)
                    return {}
            raise err(404, "NOT_FOUND", "no route")

        def pa(self, pid, perms):
            pr = {"principal_id": int(pid)}
            if pid in store.users:
                pr.update(display_name=store.users[pid].get("displayName"), user_name=store.users[pid]["userName"])
            elif pid in store.groups:
                pr.update(display_name=store.groups[pid].get("displayName"),
                          group_name=store.groups[pid].get("displayName"))
            elif pid in store.sps:
                pr.update(display_name=store.sps[pid].get("displayName"),
                          service_principal_name=store.sps[pid]["applicationId"])
            return {"principal": pr, "permissions": perms}

        # ---- access control -------------------------------------------------------------------
        def access(self, m, leaf, q, raw):
            if leaf == "assignable-roles" and m == "GET":
                res = q.get("resource", [""])[0]
                roles = ["roles/servicePrincipal.manager", "roles/servicePrincipal.user"] \
                    if "/servicePrincipals/" in res else ["roles/group.manager"]
                return {"roles": [{"name": r} for r in roles]}
            if leaf == "rule-sets" and m == "GET":
                name = q.get("name", [""])[0]
                rs = store.rule_sets.setdefault(name, {"name": name, "etag": "e" + secrets.token_hex(6)})
                return rs
            if leaf == "rule-sets" and m == "PUT":
                body = json.loads(raw or "{}")
                name, rs = body.get("name"), body.get("rule_set", {})
                cur = store.rule_sets.get(name)
                if cur and rs.get("etag") != cur["etag"]:
                    raise err(409, "RESOURCE_CONFLICT", "etag mismatch")
                new = {"name": name, "etag": "e" + secrets.token_hex(6)}
                if rs.get("grant_rules"):
                    new["grant_rules"] = rs["grant_rules"]
                store.rule_sets[name] = new
                return new
            raise err(404, "NOT_FOUND", "no route")

    return H


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["mock-server"])
    ap.add_argument("--listen", default="127.0.0.1:0")
    ap.add_argument("--seed", default="demo")
    ap.add_argument("--page-cap", type=int, default=0)
    ap.add_argument("--auto-approve", action="store_true")
    ap.add_argument("--rate-limit", type=float, default=0)
    ap.add_argument("--record")
    cfg = ap.parse_args()
    cfg.record_lock = threading.Lock()
    store = Store(cfg.page_cap)
    host, port = cfg.listen.rsplit(":", 1)
    srv = ThreadingHTTPServer((host, int(port)), make_handler(store, cfg))
    srv.daemon_threads = True
    print(json.dumps({"host": f"http://{host}:{srv.server_address[1]}", "account_id": ACCOUNT_ID,
                      "token": store.admin_token}), flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
