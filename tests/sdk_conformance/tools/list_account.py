"""List everything `dbx-console snapshot` reads, through the official Databricks SDK for
Python, and print the wall time as JSON. Used by the snapshot benchmark as the peer.

Usage: list_account.py HOST ACCOUNT_ID   (token in DATABRICKS_TOKEN)
"""
import json
import os
import sys
import time

from databricks.sdk import AccountClient


def main() -> None:
    host, account_id = sys.argv[1], sys.argv[2]
    client = AccountClient(host=host, account_id=account_id, token=os.environ["DATABRICKS_TOKEN"], auth_type="pat")
    started = time.monotonic()
    counts = {}
    workspaces = list(client.workspaces.list())
    counts["workspaces"] = len(workspaces)
    assignments = 0
    for ws in workspaces:
        try:
            assignments += len(list(client.workspace_assignment.list(workspace_id=ws.workspace_id)))
        except Exception:  # noqa: BLE001 - workspaces without identity federation answer 400
            pass
    counts["workspace_assignments"] = assignments
    counts["users"] = sum(1 for _ in client.users.list())
    groups = list(client.groups.list())
    counts["groups"] = len(groups)
    counts["group_members"] = sum(len(client.groups.get(id=g.id).members or []) for g in groups)
    sps = list(client.service_principals.list())
    counts["service_principals"] = len(sps)
    counts["secrets"] = sum(
        len(list(client.service_principal_secrets.list(service_principal_id=int(sp.id)))) for sp in sps
    )
    counts["sp_policies"] = sum(
        len(list(client.service_principal_federation_policy.list(service_principal_id=int(sp.id)))) for sp in sps
    )
    counts["account_policies"] = len(list(client.federation_policy.list()))
    counts["custom_apps"] = len(list(client.custom_app_integration.list()))
    counts["published_apps"] = len(list(client.published_app_integration.list()))
    print(json.dumps({"seconds": time.monotonic() - started, "counts": counts}))


if __name__ == "__main__":
    main()
