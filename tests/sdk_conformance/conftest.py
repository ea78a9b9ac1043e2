"""Fixtures: start the fake account server (`$DBX_CONSOLE_BIN mock-server ...`) as a subprocess,
read its one-line JSON handshake, and hand out AccountClients from the official SDK."""
import json
import os
import selectors
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from databricks.sdk import AccountClient  # noqa: E402
from databricks.sdk.service import iam  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 30
# SCIM page cap the main server is started with, so every SCIM list takes several pages.
PAGE_CAP = 7


def fake_binary() -> Path:
    raw = os.environ.get("DBX_CONSOLE_BIN", "target/debug/dbx-console")
    p = Path(raw)
    return p if p.is_absolute() else REPO_ROOT / p


class FakeServer:
    """One `mock-server` subprocess. Its first stdout line is the handshake JSON; stderr (logs)
    goes to a file whose tail is shown when something goes wrong."""

    def __init__(self, name, extra_args, log_dir):
        self.name = name
        self.args = [str(fake_binary()), "mock-server", "--listen", "127.0.0.1:0", "--seed", "demo",
                     *extra_args]
        self.log_path = Path(log_dir) / f"{name}.stderr.log"
        self.proc = None
        self.host = self.account_id = self.token = None

    def start(self):
        binary = fake_binary()
        if not binary.exists():
            pytest.fail(f"fake server binary not found: {binary} (set DBX_CONSOLE_BIN or build it)",
                        pytrace=False)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._log, cwd=REPO_ROOT)
        line = self._read_first_line()
        try:
            info = json.loads(line)
            self.host, self.account_id, self.token = info["host"], info["account_id"], info["token"]
        except (ValueError, KeyError, TypeError) as e:
            self.stop()
            pytest.fail(f"{self.name}: first stdout line is not the handshake JSON "
                        f"{{host, account_id, token}}: {line!r} ({e})\n{self.stderr_tail()}", pytrace=False)
        # Keep draining stdout so a chatty server can never block on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _read_first_line(self):
        sel = selectors.DefaultSelector()
        fd = self.proc.stdout.fileno()
        sel.register(fd, selectors.EVENT_READ)
        buf = b""
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        try:
            while b"\n" not in buf:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.stop()
                    pytest.fail(f"{self.name}: no handshake line within {STARTUP_TIMEOUT_S}s "
                                f"({' '.join(self.args)})\n{self.stderr_tail()}", pytrace=False)
                if not sel.select(timeout=left):
                    continue
                chunk = os.read(fd, 4096)
                if not chunk:
                    code = self.proc.wait(timeout=5)
                    pytest.fail(f"{self.name}: exited with {code} before printing the handshake "
                                f"({' '.join(self.args)})\n{self.stderr_tail()}", pytrace=False)
                buf += chunk
        finally:
            sel.close()
        return buf.split(b"\n", 1)[0].decode("utf-8", "replace").strip()

    def _drain(self):
        try:
            while self.proc.stdout.read(65536):
                pass
        except (OSError, ValueError):
            pass

    def stderr_tail(self, n=40):
        try:
            self._log.flush()
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no stderr log)"
        return "--- fake stderr (tail) ---\n" + "\n".join(lines[-n:])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if getattr(self, "_log", None):
            self._log.close()

    def client(self, **kwargs) -> AccountClient:
        return AccountClient(host=self.host, account_id=self.account_id, **kwargs)

    def pat_client(self) -> AccountClient:
        return self.client(token=self.token, auth_type="pat")


@pytest.fixture(scope="session", autouse=True)
def isolated_environment(tmp_path_factory):
    """No ~/.databrickscfg, SDK token cache or DATABRICKS_* variable of the machine leaks in."""
    saved = dict(os.environ)
    for k in list(os.environ):
        if k.startswith(("DATABRICKS_", "ARM_", "AZURE_", "GOOGLE_", "ACTIONS_ID_TOKEN", "SYSTEM_OIDC")):
            del os.environ[k]
    os.environ["HOME"] = str(tmp_path_factory.mktemp("home"))
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def log_dir():
    d = os.environ.get("SDK_CONFORMANCE_LOG_DIR") or tempfile.mkdtemp(prefix="sdk-conformance-logs-")
    Path(d).mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="session")
def fake(log_dir):
    """The main fake: demo seed, SCIM page cap 7, consent page enabled (no auto-approve)."""
    srv = FakeServer("fake", ["--page-cap", str(PAGE_CAP)], log_dir).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def fake_auto(log_dir):
    """A second instance with --auto-approve, for the SDK's own external-browser flow."""
    srv = FakeServer("fake-auto-approve", ["--auto-approve"], log_dir).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def account(fake) -> AccountClient:
    """AccountClient with the handshake's static account-admin token (auth_type pat)."""
    return fake.pat_client()


class WireLog:
    """Every HTTP exchange one AccountClient makes (via a requests response hook)."""

    def __init__(self, client):
        self.session = client.api_client._api_client._session
        self.entries = []

    def __call__(self, response, *args, **kwargs):
        self.entries.append(response)
        return response

    def __enter__(self):
        self.session.hooks["response"].append(self)
        return self

    def __exit__(self, *exc):
        self.session.hooks["response"].remove(self)

    def matching(self, method, path_suffix):
        from urllib.parse import urlsplit
        return [r for r in self.entries
                if r.request.method == method and urlsplit(r.request.url).path.endswith(path_suffix)]


@pytest.fixture
def wire(account):
    with WireLog(account) as log:
        yield log


def uniq(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def uniq_name():
    return uniq


@pytest.fixture(scope="session")
def admin_user(account):
    """A user created through the SDK with the account_admin role (subject of account-wide
    federation tokens)."""
    name = f"{uniq('fed-user')}@example.com"
    u = account.users.create(user_name=name, display_name="Federated Admin", active=True,
                             roles=[iam.ComplexValue(value="account_admin")])
    yield u
    try:
        account.users.delete(u.id)
    except Exception:  # noqa: BLE001 - best-effort cleanup
        pass


@pytest.fixture(scope="session")
def admin_sp(account):
    """A service principal created through the SDK with the account_admin role (M2M and
    SP-federation subject)."""
    sp = account.service_principals.create(display_name=uniq("conformance-admin-sp"), active=True,
                                           roles=[iam.ComplexValue(value="account_admin")])
    yield sp
    try:
        account.service_principals.delete(sp.id)
    except Exception:  # noqa: BLE001 - best-effort cleanup
        pass
