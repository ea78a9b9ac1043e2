//! SCIM users, groups and service principals: list (filter, attributes, sortBy), get,
//! create, replace, the PATCH operations the console sends, and delete.

use std::collections::BTreeSet;

use dbx_console::api::ScimQuery;
use dbx_console::api::models::{
    ComplexValue, Group, Name, PatchOp, PatchOperation, ServicePrincipal, User,
};
use dbx_console::mock::MockServer;
use serde_json::{Map, Value, json};

use crate::support::{
    DEMO_GROUP_COUNT, DEMO_SP_COUNT, DEMO_USER_COUNT, admin, demo, group_id, http,
    service_principal_id, user_id,
};

fn stored_user(server: &MockServer, id: &str) -> Map<String, Value> {
    server
        .shared()
        .read()
        .users
        .get(id)
        .cloned()
        .unwrap_or_else(|| panic!("user {id} is not in the fake"))
}

fn members_in_fake(server: &MockServer, group: &str) -> BTreeSet<String> {
    server
        .shared()
        .read()
        .memberships
        .members_of(group)
        .cloned()
        .collect()
}

#[tokio::test]
async fn user_list_honours_filter_attributes_and_sort() {
    let server = demo().await;
    let client = admin(&server);
    let query = ScimQuery {
        filter: Some("userName sw \"a\"".into()),
        attributes: Some("id,userName,displayName".into()),
        sort_by: Some("userName".into()),
        descending: true,
        ..ScimQuery::default()
    };
    let raw: Vec<Value> = client
        .list::<User, Value>(query.clone())
        .await
        .expect("list");
    let allowed: BTreeSet<&str> = ["id", "schemas", "userName", "displayName"].into();
    for item in &raw {
        let keys: BTreeSet<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert!(keys.is_subset(&allowed), "attributes not applied: {item}");
        assert!(keys.contains("userName") && keys.contains("id"), "{item}");
    }
    let names: Vec<String> = raw
        .iter()
        .map(|u| u["userName"].as_str().unwrap().to_owned())
        .collect();

    let mut expected: Vec<String> = server
        .shared()
        .read()
        .users
        .iter()
        .filter_map(|(_, u)| u["userName"].as_str().map(str::to_owned))
        .filter(|name| name.starts_with('a'))
        .collect();
    expected.sort();
    expected.reverse();
    assert!(expected.len() > 5, "the seed has users starting with a");
    assert_eq!(names, expected);

    let typed: Vec<User> = client.list::<User, User>(query).await.unwrap();
    assert_eq!(
        typed
            .iter()
            .map(|u| u.user_name.clone().unwrap())
            .collect::<Vec<_>>(),
        expected
    );
    assert!(
        typed
            .iter()
            .all(|u| u.emails.is_empty() && u.meta.is_none())
    );
}

#[tokio::test]
async fn excluded_attributes_are_left_out() {
    let server = demo().await;
    let client = admin(&server);
    let users: Vec<Value> = client
        .list::<User, Value>(ScimQuery {
            excluded_attributes: Some("emails,name,groups".into()),
            filter: Some("userName eq \"ana.silva@northwind.example\"".into()),
            ..ScimQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
    let user = users[0].as_object().unwrap();
    for gone in ["emails", "name", "groups"] {
        assert!(!user.contains_key(gone), "{gone} in {user:?}");
    }
    for kept in ["id", "userName", "displayName", "active", "roles"] {
        assert!(user.contains_key(kept), "{kept} missing from {user:?}");
    }
}

#[tokio::test]
async fn minimal_lists_of_every_kind_cover_the_account() {
    let server = demo().await;
    let client = admin(&server);
    let users: Vec<User> = client
        .list::<User, User>(ScimQuery::minimal::<User>())
        .await
        .unwrap();
    let groups: Vec<Group> = client
        .list::<Group, Group>(ScimQuery::minimal::<Group>())
        .await
        .unwrap();
    let sps: Vec<ServicePrincipal> = client
        .list::<ServicePrincipal, ServicePrincipal>(ScimQuery::minimal::<ServicePrincipal>())
        .await
        .unwrap();
    assert_eq!(
        (users.len(), groups.len(), sps.len()),
        (DEMO_USER_COUNT, DEMO_GROUP_COUNT, DEMO_SP_COUNT)
    );
    assert!(groups.iter().all(|g| g.members.is_empty()));
    assert!(sps.iter().all(|sp| sp.application_id.is_some()));
    assert!(
        users.iter().any(|u| !u.is_active()),
        "inactive users listed"
    );
}

#[tokio::test]
async fn user_get_create_replace_patch_and_delete() {
    let server = demo().await;
    let client = admin(&server);
    let mut new_user = User::new("new.person@example.com");
    new_user.display_name = Some("New Person".into());
    new_user.name = Some(Name {
        given_name: Some("New".into()),
        family_name: Some("Person".into()),
        ..Name::default()
    });
    let created = client.create(&new_user).await.expect("create");
    let id = created.id.clone().expect("id");
    assert_eq!(created.user_name.as_deref(), Some("new.person@example.com"));
    assert_eq!(created.primary_email(), Some("new.person@example.com"));
    assert!(created.is_active());
    assert_eq!(stored_user(&server, &id)["displayName"], "New Person");

    let mut user: User = client.get(&id).await.expect("get");
    assert_eq!(user, created);
    user.display_name = Some("Renamed Person".into());
    user.external_id = Some("okta-42".into());
    client.replace(&id, &user).await.expect("replace");
    let stored = stored_user(&server, &id);
    assert_eq!(stored["displayName"], "Renamed Person");
    assert_eq!(stored["externalId"], "okta-42");
    assert_eq!(
        stored["name"],
        json!({"givenName": "New", "familyName": "Person"})
    );

    let deactivate = PatchOp::new(vec![PatchOperation::set_active(false)]);
    let wire = serde_json::to_value(&deactivate).unwrap();
    assert_eq!(
        wire["Operations"][0],
        json!({"op": "replace", "path": "active", "value": false}),
        "the value false is written"
    );
    client
        .patch::<User>(&id, &deactivate)
        .await
        .expect("deactivate");
    assert_eq!(stored_user(&server, &id)["active"], false);
    let user: User = client.get(&id).await.unwrap();
    assert_eq!(user.active, Some(false));

    client
        .patch::<User>(
            &id,
            &PatchOp::new(vec![PatchOperation::grant_account_admin()]),
        )
        .await
        .expect("grant");
    assert!(client.get::<User>(&id).await.unwrap().is_account_admin());
    assert_eq!(
        stored_user(&server, &id)["roles"],
        json!([{"value": "account_admin"}])
    );
    client
        .patch::<User>(
            &id,
            &PatchOp::new(vec![PatchOperation::revoke_account_admin()]),
        )
        .await
        .expect("revoke");
    assert!(!client.get::<User>(&id).await.unwrap().is_account_admin());

    client.delete::<User>(&id).await.expect("delete");
    assert!(server.shared().read().users.get(&id).is_none());
    let error = client.get::<User>(&id).await.expect_err("deleted");
    assert_eq!(error.status(), Some(404));
}

#[tokio::test]
async fn existing_user_is_read_in_full() {
    let server = demo().await;
    let client = admin(&server);
    let id = user_id(&server, "ana.silva@northwind.example");
    let user: User = client.get(&id).await.expect("get");
    assert_eq!(
        user.user_name.as_deref(),
        Some("ana.silva@northwind.example")
    );
    assert!(user.is_account_admin());
    let groups: BTreeSet<&str> = user.group_ids().collect();
    assert!(groups.contains(group_id(&server, "account-admins").as_str()));
    let raw = client.get_json::<User>(&id).await.unwrap();
    assert_eq!(
        serde_json::to_value(&user).unwrap(),
        raw,
        "the model keeps every field"
    );
}

#[tokio::test]
async fn group_get_create_replace_patch_members_and_delete() {
    let server = demo().await;
    let client = admin(&server);

    let filtered: Vec<Group> = client
        .list::<Group, Group>(ScimQuery {
            filter: Some("displayName eq \"data-eng\"".into()),
            ..ScimQuery::default()
        })
        .await
        .unwrap();
    let data_eng = group_id(&server, "data-eng");
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0].id.as_deref(), Some(data_eng.as_str()));
    let full: Group = client.get(&data_eng).await.expect("get");
    let listed: BTreeSet<String> = full.member_ids().map(str::to_owned).collect();
    assert_eq!(listed, members_in_fake(&server, &data_eng));
    assert!(!listed.is_empty());

    let alice = user_id(&server, "aarav.desai@northwind.example");
    let bob = user_id(&server, "aarav.gupta@northwind.example");
    let sp = service_principal_id(&server, "dbt-cloud");
    let mut group = Group::new("api-client-test");
    group.members = vec![ComplexValue::new(alice.clone())];
    let created = client.create(&group).await.expect("create");
    let id = created.id.clone().expect("id");
    assert_eq!(
        members_in_fake(&server, &id),
        BTreeSet::from([alice.clone()])
    );

    let mut replacement: Group = client.get(&id).await.unwrap();
    replacement.display_name = Some("api-client-test-renamed".into());
    replacement.members = vec![ComplexValue::new(bob.clone())];
    client.replace(&id, &replacement).await.expect("replace");
    assert_eq!(
        server.shared().read().groups.get(&id).unwrap()["displayName"],
        "api-client-test-renamed"
    );
    assert_eq!(members_in_fake(&server, &id), BTreeSet::from([bob.clone()]));

    client
        .patch::<Group>(
            &id,
            &PatchOp::new(vec![PatchOperation::add_values(
                "members",
                [alice.clone(), sp.clone()],
            )]),
        )
        .await
        .expect("add members");
    assert_eq!(
        members_in_fake(&server, &id),
        BTreeSet::from([alice.clone(), bob.clone(), sp.clone()])
    );
    client
        .patch::<Group>(
            &id,
            &PatchOp::new(vec![PatchOperation::remove_value("members", &bob)]),
        )
        .await
        .expect("remove member");
    assert_eq!(
        members_in_fake(&server, &id),
        BTreeSet::from([alice.clone(), sp.clone()])
    );
    let group: Group = client.get(&id).await.unwrap();
    assert!(group.has_member(&alice) && group.has_member(&sp) && !group.has_member(&bob));
    let alice_user: User = client.get(&alice).await.unwrap();
    assert!(alice_user.group_ids().any(|g| g == id));

    client.delete::<Group>(&id).await.expect("delete");
    assert!(server.shared().read().groups.get(&id).is_none());
    let error = client.get::<Group>(&id).await.expect_err("deleted");
    assert!(error.is_not_found());
    let alice_user: User = client.get(&alice).await.unwrap();
    assert!(!alice_user.group_ids().any(|g| g == id));
}

#[tokio::test]
async fn service_principal_get_create_replace_patch_and_delete() {
    let server = demo().await;
    let client = admin(&server);
    let created = client
        .create(&ServicePrincipal::new("api-client-sp"))
        .await
        .expect("create");
    let id = created.id.clone().expect("id");
    let application_id = created.application_id.clone().expect("generated");
    assert!(created.is_active());

    let found: Vec<ServicePrincipal> = client
        .list::<ServicePrincipal, ServicePrincipal>(ScimQuery {
            filter: Some(format!("applicationId eq \"{application_id}\"")),
            ..ScimQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(found, vec![created.clone()]);

    let mut sp: ServicePrincipal = client.get(&id).await.expect("get");
    assert_eq!(sp, created);
    sp.display_name = Some("api-client-sp-renamed".into());
    client.replace(&id, &sp).await.expect("replace");
    let stored = server
        .shared()
        .read()
        .service_principals
        .get(&id)
        .cloned()
        .unwrap();
    assert_eq!(stored["displayName"], "api-client-sp-renamed");
    assert_eq!(stored["applicationId"], application_id.as_str());

    client
        .patch::<ServicePrincipal>(&id, &PatchOp::new(vec![PatchOperation::set_active(false)]))
        .await
        .expect("deactivate");
    assert_eq!(
        server.shared().read().service_principals.get(&id).unwrap()["active"],
        false
    );
    client
        .patch::<ServicePrincipal>(
            &id,
            &PatchOp::new(vec![
                PatchOperation::set_active(true),
                PatchOperation::grant_account_admin(),
            ]),
        )
        .await
        .expect("reactivate and grant");
    let sp: ServicePrincipal = client.get(&id).await.unwrap();
    assert!(sp.is_active() && sp.is_account_admin());
    client
        .patch::<ServicePrincipal>(
            &id,
            &PatchOp::new(vec![PatchOperation::revoke_account_admin()]),
        )
        .await
        .expect("revoke");
    assert!(
        !client
            .get::<ServicePrincipal>(&id)
            .await
            .unwrap()
            .is_account_admin()
    );

    client
        .delete::<ServicePrincipal>(&id)
        .await
        .expect("delete");
    assert!(server.shared().read().service_principals.get(&id).is_none());
    let error = client
        .get::<ServicePrincipal>(&id)
        .await
        .expect_err("deleted");
    assert_eq!(error.status(), Some(404));
    assert_eq!(http(&error).error_code, "SCIM_404");
}
