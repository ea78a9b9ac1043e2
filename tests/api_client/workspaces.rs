//! Workspaces (a bare array) and their permission assignments: list, levels, put, delete.

use dbx_console::api::models::workspaces::{PERMISSION_ADMIN, PERMISSION_USER};
use dbx_console::api::models::{
    PermissionAssignment, PrincipalKind, UpdateWorkspaceAssignment, Workspace,
};
use serde_json::Value;

use crate::support::{ANALYTICS_DEV, RESEARCH_SANDBOX, admin, demo, group_id, http, user_id};

#[tokio::test]
async fn workspaces_are_listed_and_read() {
    let server = demo().await;
    let client = admin(&server);
    let workspaces: Vec<Workspace> = client.list_workspaces().await.expect("list");
    let expected: Vec<i64> = server.shared().read().workspaces.keys().copied().collect();
    assert_eq!(
        workspaces
            .iter()
            .map(|w| w.workspace_id.unwrap())
            .collect::<Vec<_>>(),
        expected
    );
    let raw: Vec<Value> = client.list_workspaces().await.unwrap();
    assert_eq!(
        raw.iter()
            .map(
                |w| serde_json::to_value(serde_json::from_value::<Workspace>(w.clone()).unwrap())
                    .unwrap()
            )
            .collect::<Vec<_>>(),
        raw,
        "the model keeps every field"
    );

    let dev: Workspace = client.get_workspace(ANALYTICS_DEV).await.expect("get");
    assert_eq!(dev.workspace_name.as_deref(), Some("analytics-dev"));
    assert!(dev.is_running());
    assert_eq!(dev.account_id.as_deref(), Some(server.account_id.as_str()));
    assert!(dev.created_at().is_some());
    assert!(workspaces.contains(&dev));

    let error = client
        .get_workspace::<Workspace>(1)
        .await
        .expect_err("no such workspace");
    assert!(error.is_not_found());
}

#[tokio::test]
async fn permission_assignments_are_listed_put_and_deleted() {
    let server = demo().await;
    let client = admin(&server);
    let listed: Vec<PermissionAssignment> = client
        .list_workspace_assignments(ANALYTICS_DEV)
        .await
        .expect("list");
    let expected: Vec<i64> = server.shared().read().workspaces[&ANALYTICS_DEV]
        .assignments
        .keys()
        .copied()
        .collect();
    assert_eq!(
        listed
            .iter()
            .map(|a| a.principal.principal_id.unwrap())
            .collect::<Vec<_>>(),
        expected
    );
    let platform = group_id(&server, "platform-eng");
    let admin_group = listed
        .iter()
        .find(|a| a.principal.principal_id == Some(platform.parse().unwrap()))
        .expect("platform-eng is assigned");
    assert_eq!(admin_group.principal.kind(), PrincipalKind::Group);
    assert!(admin_group.is_admin());

    let levels = client
        .workspace_permission_levels(ANALYTICS_DEV)
        .await
        .expect("levels");
    let names: Vec<&str> = levels
        .permissions
        .iter()
        .map(|l| l.permission_level.as_deref().unwrap())
        .collect();
    assert_eq!(names, [PERMISSION_USER, PERMISSION_ADMIN]);

    let person = user_id(&server, "aarav.desai@northwind.example");
    let person_id: i64 = person.parse().unwrap();
    assert!(
        !server.shared().read().workspaces[&ANALYTICS_DEV]
            .assignments
            .contains_key(&person_id)
    );
    let assigned = client
        .update_workspace_assignment(
            ANALYTICS_DEV,
            person_id,
            &UpdateWorkspaceAssignment::new([PERMISSION_USER]),
        )
        .await
        .expect("put");
    assert_eq!(assigned.principal.principal_id, Some(person_id));
    assert_eq!(assigned.principal.kind(), PrincipalKind::User);
    assert_eq!(
        assigned.principal.user_name.as_deref(),
        Some("aarav.desai@northwind.example")
    );
    assert_eq!(assigned.permissions, [PERMISSION_USER]);
    let promoted = client
        .update_workspace_assignment(
            ANALYTICS_DEV,
            person_id,
            &UpdateWorkspaceAssignment::new([PERMISSION_USER, PERMISSION_ADMIN]),
        )
        .await
        .expect("put admin");
    assert!(promoted.is_admin());
    assert_eq!(
        server.shared().read().workspaces[&ANALYTICS_DEV].assignments[&person_id],
        [PERMISSION_ADMIN]
    );
    let listed: Vec<PermissionAssignment> = client
        .list_workspace_assignments(ANALYTICS_DEV)
        .await
        .unwrap();
    assert!(listed.contains(&promoted));

    client
        .delete_workspace_assignment(ANALYTICS_DEV, person_id)
        .await
        .expect("delete");
    let listed: Vec<PermissionAssignment> = client
        .list_workspace_assignments(ANALYTICS_DEV)
        .await
        .unwrap();
    assert!(
        listed
            .iter()
            .all(|a| a.principal.principal_id != Some(person_id))
    );
    let again = client
        .delete_workspace_assignment(ANALYTICS_DEV, person_id)
        .await
        .expect_err("nothing to delete");
    assert_eq!(again.status(), Some(404));

    // An empty list removes an assignment too.
    client
        .update_workspace_assignment(
            ANALYTICS_DEV,
            person_id,
            &UpdateWorkspaceAssignment::new([PERMISSION_USER]),
        )
        .await
        .unwrap();
    client
        .update_workspace_assignment(
            ANALYTICS_DEV,
            person_id,
            &UpdateWorkspaceAssignment::default(),
        )
        .await
        .expect("put []");
    assert!(
        !server.shared().read().workspaces[&ANALYTICS_DEV]
            .assignments
            .contains_key(&person_id)
    );
}

#[tokio::test]
async fn workspaces_without_identity_federation_refuse_assignments() {
    let server = demo().await;
    let client = admin(&server);
    assert!(!server.shared().read().workspaces[&RESEARCH_SANDBOX].identity_federation);
    let error = client
        .list_workspace_assignments::<PermissionAssignment>(RESEARCH_SANDBOX)
        .await
        .expect_err("no identity federation");
    let parts = http(&error);
    assert_eq!(parts.status, 400);
    assert_eq!(parts.error_code, "INVALID_PARAMETER_VALUE");
}
