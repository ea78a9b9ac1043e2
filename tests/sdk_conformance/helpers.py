"""Shared helpers for the SDK conformance suite: IdP keys and JWTs, a scripted browser for the
SDK's external-browser (U2M) flow, the SDK's own token cache."""
import contextlib
import glob
import json
import os
import socket
import threading
import time
import urllib.parse
import webbrowser
from datetime import datetime, timedelta

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import ec, rsa

# The Python SDK always listens on this port for the U2M redirect (oauth.py: redirect_url).
SDK_CALLBACK_PORT = 8020
SDK_TOKEN_CACHE_GLOB = "~/.config/databricks-sdk-py/oauth/*.json"


class _Key:
    alg = ""

    def __init__(self, kid):
        self.kid = kid

    def jwk(self):
        raise NotImplementedError

    def jwks_json(self):
        return json.dumps({"keys": [self.jwk()]})

    def mint(self, *, iss, aud, sub, ttl=600, **extra):
        now = int(time.time())
        claims = {"iss": iss, "aud": aud, "sub": sub, "iat": now, "nbf": now - 5, "exp": now + ttl, **extra}
        return jwt.encode(claims, self._private, algorithm=self.alg, headers={"kid": self.kid})


class RsaKey(_Key):
    alg = "RS256"

    def __init__(self, kid):
        super().__init__(kid)
        self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self):
        d = jwt.algorithms.RSAAlgorithm.to_jwk(self._private.public_key(), as_dict=True)
        return {**d, "kid": self.kid, "alg": self.alg, "use": "sig"}


class EcKey(_Key):
    alg = "ES256"

    def __init__(self, kid):
        super().__init__(kid)
        self._private = ec.generate_private_key(ec.SECP256R1())

    def jwk(self):
        d = jwt.algorithms.ECAlgorithm.to_jwk(self._private.public_key(), as_dict=True)
        return {**d, "kid": self.kid, "alg": self.alg, "use": "sig"}


def port_free(port, host="localhost"):
    """Can the SDK bind its callback port? Mirrors http.server.HTTPServer, which the SDK uses:
    AF_INET, SO_REUSEADDR (so a TIME_WAIT left by an earlier run does not count as busy)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


class BrowserTrace:
    """What the scripted browser saw: each hop (url, status, Location) and any error."""

    def __init__(self):
        self.hops = []
        self.error = None
        self.opened_url = None
        self.callback_status = None
        self.callback_query = None

    def __repr__(self):
        return (f"BrowserTrace(opened={self.opened_url!r}, hops={self.hops!r}, callback_status="
                f"{self.callback_status!r}, error={self.error!r})")


def _browse(url, trace, deadline_s):
    """Follow the authorize URL like a browser would, then deliver the final redirect to the
    SDK's callback listener (which the SDK binds only after it has 'opened the browser', so the
    last hop retries the connection until the listener is up or the deadline passes)."""
    try:
        deadline = time.monotonic() + deadline_s
        session = requests.Session()
        for _ in range(10):
            target = urllib.parse.urlsplit(url)
            if target.hostname in ("localhost", "127.0.0.1") and target.port == SDK_CALLBACK_PORT:
                trace.callback_query = dict(urllib.parse.parse_qsl(target.query))
                while True:
                    try:
                        r = session.get(url, allow_redirects=False, timeout=5)
                        trace.callback_status = r.status_code
                        return
                    except requests.ConnectionError:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.02)  # polling for the SDK's listener to bind, bounded by deadline
            r = session.get(url, allow_redirects=False, timeout=10)
            loc = r.headers.get("Location")
            trace.hops.append((url, r.status_code, loc))
            if r.status_code in (301, 302, 303, 307, 308) and loc:
                url = urllib.parse.urljoin(url, loc)
                continue
            trace.error = f"authorize flow stopped at {url} with HTTP {r.status_code}: {r.text[:300]!r}"
            # Unblock the SDK, which waits for exactly one request on its callback port.
            _poke_callback(deadline)
            return
        trace.error = "too many redirects"
        _poke_callback(deadline)
    except Exception as e:  # noqa: BLE001
        trace.error = repr(e)
        _poke_callback(time.monotonic() + 5)


def _poke_callback(deadline):
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://localhost:{SDK_CALLBACK_PORT}/?error=scripted_browser_failed"
                         "&error_description=see+BrowserTrace", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.02)


@contextlib.contextmanager
def scripted_browser(deadline_s=20):
    """Patch webbrowser.open/open_new so the SDK's external-browser login is driven in a thread."""
    trace = BrowserTrace()
    threads = []

    def fake_open(url, *args, **kwargs):
        trace.opened_url = url
        t = threading.Thread(target=_browse, args=(url, trace, deadline_s), daemon=True)
        threads.append(t)
        t.start()
        return True

    saved = (webbrowser.open, webbrowser.open_new, webbrowser.open_new_tab)
    webbrowser.open = webbrowser.open_new = webbrowser.open_new_tab = fake_open
    try:
        yield trace
    finally:
        webbrowser.open, webbrowser.open_new, webbrowser.open_new_tab = saved
        for t in threads:
            t.join(timeout=deadline_s)


@contextlib.contextmanager
def no_browser():
    """Fail loudly if the SDK tries to open a browser (i.e. it did not use its cached token)."""

    def refuse(url, *args, **kwargs):
        raise AssertionError(f"the SDK opened a browser instead of refreshing: {url}")

    saved = (webbrowser.open, webbrowser.open_new, webbrowser.open_new_tab)
    webbrowser.open = webbrowser.open_new = webbrowser.open_new_tab = refuse
    try:
        yield
    finally:
        webbrowser.open, webbrowser.open_new, webbrowser.open_new_tab = saved


def sdk_token_cache_files():
    return sorted(glob.glob(os.path.expanduser(SDK_TOKEN_CACHE_GLOB)))


def expire_sdk_token_cache():
    """Rewrite the SDK's U2M token cache so the cached access token looks expired; the next
    external-browser client then has to use the refresh token. Returns the old entries."""
    old = []
    for path in sdk_token_cache_files():
        with open(path) as f:
            raw = json.load(f)
        old.append(dict(raw["token"]))
        raw["token"]["expiry"] = (datetime.now() - timedelta(hours=1)).isoformat()
        with open(path, "w") as f:
            json.dump(raw, f)
    return old
