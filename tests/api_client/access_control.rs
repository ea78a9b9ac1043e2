//! Rule sets, read-modify-write with etags, and the roles assignable on a resource.

use dbx_console::api::models::UpdateRuleSetRequest;
use dbx_console::api::models::access_control::{
    GROUP_MANAGER, SERVICE_PRINCIPAL_MANAGER, SERVICE_PRINCIPAL_USER, group_principal,
    rule_set_name_for_group, rule_set_name_for_service_principal, user_principal,
};

use crate::support::{DEMO_NON_ADMIN, DEMO_SP_APPLICATION_ID, admin, demo, group_id, http};

#[tokio::test]
async fn rule_set_read_modify_write_with_etags() {
    let server = demo().await;
    let client = admin(&server);
    let name = rule_set_name_for_service_principal(&server.account_id, DEMO_SP_APPLICATION_ID);

    let read = client.get_rule_set(&name, "").await.expect("get");
    assert_eq!(read.name, name);
    assert!(!read.etag.is_empty());
    let stored = server.shared().read().rule_sets[&name].clone();
    assert_eq!(read.etag, stored.etag);
    assert_eq!(
        serde_json::to_value(&read.grant_rules).unwrap(),
        serde_json::Value::Array(stored.grant_rules.clone())
    );
    assert!(read.has_grant(
        SERVICE_PRINCIPAL_MANAGER,
        &user_principal("ana.silva@northwind.example")
    ));
    assert_eq!(
        client
            .get_rule_set(&name, &read.etag)
            .await
            .expect("fresh etag"),
        read
    );

    let mut edited = read.clone();
    assert!(edited.grant(SERVICE_PRINCIPAL_USER, &user_principal(DEMO_NON_ADMIN)));
    let written = client
        .update_rule_set(&UpdateRuleSetRequest::new(edited.clone()))
        .await
        .expect("put with the etag just read");
    assert_ne!(written.etag, read.etag, "a write returns a new etag");
    assert_eq!(written.grant_rules, edited.grant_rules);
    assert_eq!(server.shared().read().rule_sets[&name].etag, written.etag);
    let again = client.get_rule_set(&name, "").await.unwrap();
    assert_eq!(again, written);
    assert!(again.has_grant(SERVICE_PRINCIPAL_USER, &user_principal(DEMO_NON_ADMIN)));

    // The first read is stale now: writing with it is refused, and nothing changes.
    let mut stale = read.clone();
    assert!(stale.revoke(
        SERVICE_PRINCIPAL_MANAGER,
        &user_principal("ana.silva@northwind.example")
    ));
    let error = client
        .update_rule_set(&UpdateRuleSetRequest::new(stale))
        .await
        .expect_err("stale etag");
    let parts = http(&error);
    assert_eq!(parts.status, 409);
    assert_eq!(parts.error_code, "RESOURCE_CONFLICT");
    assert!(error.hint().contains("Refresh"));
    assert_eq!(client.get_rule_set(&name, "").await.unwrap(), written);
    let error = client
        .get_rule_set(&name, &read.etag)
        .await
        .expect_err("stale etag on read");
    assert_eq!(error.status(), Some(409));
}

#[tokio::test]
async fn a_group_without_rules_gets_its_first_rule() {
    let server = demo().await;
    let client = admin(&server);
    let group = group_id(&server, "finops");
    let name = rule_set_name_for_group(&server.account_id, &group);
    let read = client.get_rule_set(&name, "").await.expect("get");
    assert!(read.grant_rules.is_empty());
    let mut edited = read.clone();
    edited.grant(GROUP_MANAGER, &group_principal("data-eng"));
    let written = client
        .update_rule_set(&UpdateRuleSetRequest::new(edited))
        .await
        .expect("put");
    assert!(written.has_grant(GROUP_MANAGER, "groups/data-eng"));
    assert_ne!(written.etag, read.etag);
}

#[tokio::test]
async fn assignable_roles_depend_on_the_resource() {
    let server = demo().await;
    let client = admin(&server);
    let sp = client
        .assignable_roles(&format!(
            "accounts/{}/servicePrincipals/{DEMO_SP_APPLICATION_ID}",
            server.account_id
        ))
        .await
        .expect("sp roles");
    let names: Vec<&str> = sp.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, [SERVICE_PRINCIPAL_MANAGER, SERVICE_PRINCIPAL_USER]);
    let group = client
        .assignable_roles(&format!(
            "accounts/{}/groups/{}",
            server.account_id,
            group_id(&server, "finops")
        ))
        .await
        .expect("group roles");
    let names: Vec<&str> = group.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, [GROUP_MANAGER]);
}
