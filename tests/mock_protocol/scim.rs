//! SCIM 2.0 identities (reference §5): paging, filters, projection, sorting, and the
//! create / replace / PatchOp / delete semantics with their error shapes.

use std::collections::{BTreeSet, HashSet};

use dbx_console::mock::MockConfig;
use serde_json::{Map, Value, json};

use crate::support::*;

fn user_names(fake: &Fake) -> Vec<(String, String, String)> {
    fake.server
        .shared()
        .read()
        .users
        .iter()
        .map(|(id, user)| {
            let text = |key: &str| {
                user.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            (id.clone(), text("userName"), text("displayName"))
        })
        .collect()
}

async fn list(fake: &Fake, kind: &str, pairs: &[(&str, &str)]) -> Reply {
    fake.get(&format!(
        "{}?{}",
        fake.scim(&format!("/{kind}")),
        query(pairs)
    ))
    .await
}

fn ids(items: &[Map<String, Value>]) -> BTreeSet<String> {
    items
        .iter()
        .map(|item| item["id"].as_str().expect("id is a string").to_owned())
        .collect()
}

fn patch_op(operations: Value) -> Value {
    json!({"schemas": [PATCH_OP_URN], "Operations": operations})
}

fn member_ids(group: &Value) -> BTreeSet<String> {
    group["members"]
        .as_array()
        .map(|members| {
            members
                .iter()
                .filter_map(|m| m["value"].as_str())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn group_ids_of(user: &Value) -> BTreeSet<String> {
    user["groups"]
        .as_array()
        .map(|groups| {
            groups
                .iter()
                .filter_map(|g| g["value"].as_str())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

async fn create_group(fake: &Fake, name: &str) -> String {
    let body = json!({"schemas": [GROUP_URN], "displayName": name});
    let reply = fake.post(&fake.scim("/Groups"), &body).await.expect(201);
    reply.json["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn paging_below_the_count_visits_every_user_once() {
    let fake = Fake::start(MockConfig {
        page_cap: 7,
        ..MockConfig::default()
    })
    .await;
    let expected: BTreeSet<String> = user_names(&fake).into_iter().map(|(id, ..)| id).collect();
    assert_eq!(expected.len(), DEMO_USER_COUNT);

    let mut seen = Vec::new();
    let mut start_index = 1usize;
    let mut pages = 0;
    loop {
        let start = start_index.to_string();
        let reply = list(&fake, "Users", &[("startIndex", &start), ("count", "100")])
            .await
            .expect(200);
        let body = reply.object();
        assert_eq!(body["schemas"], json!([SCIM_LIST_URN]));
        assert_eq!(body["totalResults"], json!(DEMO_USER_COUNT));
        assert_eq!(body["startIndex"], json!(start_index));
        let page = resources(&reply);
        assert_eq!(body["itemsPerPage"], json!(page.len()));
        if page.is_empty() {
            assert!(
                !body.contains_key("Resources"),
                "past the end there are no Resources"
            );
            break;
        }
        let remaining = DEMO_USER_COUNT - seen.len();
        assert_eq!(page.len(), remaining.min(7), "pages are capped at 7");
        seen.extend(page.iter().map(|u| u["id"].as_str().unwrap().to_owned()));
        start_index += page.len();
        pages += 1;
        assert!(pages <= DEMO_USER_COUNT, "paging must end");
    }
    assert_eq!(pages, DEMO_USER_COUNT.div_ceil(7));
    assert_eq!(seen.len(), DEMO_USER_COUNT, "no user twice");
    assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), expected);

    let far = list(&fake, "Users", &[("startIndex", "10000"), ("count", "5")])
        .await
        .expect(200);
    assert!(far.json.get("Resources").is_none());
    assert_eq!(far.json["totalResults"], json!(DEMO_USER_COUNT));
    fake.stop().await;
}

#[tokio::test]
async fn filters_on_user_name_and_display_name() {
    let fake = Fake::demo().await;
    let users = user_names(&fake);
    let expect = |predicate: &dyn Fn(&str, &str) -> bool| -> BTreeSet<String> {
        users
            .iter()
            .filter(|(_, name, display)| predicate(&name.to_lowercase(), &display.to_lowercase()))
            .map(|(id, ..)| id.clone())
            .collect()
    };
    let cases: Vec<(String, BTreeSet<String>)> = vec![
        (
            format!("userName eq \"{DEMO_ADMIN}\""),
            expect(&|n, _| n == DEMO_ADMIN),
        ),
        (
            format!("UserName EQ \"{DEMO_ADMIN}\""),
            expect(&|n, _| n == DEMO_ADMIN),
        ),
        (
            "userName co \"silva\"".into(),
            expect(&|n, _| n.contains("silva")),
        ),
        (
            "userName sw \"aa\"".into(),
            expect(&|n, _| n.starts_with("aa")),
        ),
        (
            "displayName sw \"Ana\"".into(),
            expect(&|_, d| d.starts_with("ana")),
        ),
        (
            "displayName co \"Wójcik\"".into(),
            expect(&|_, d| d.contains("wójcik")),
        ),
        (
            "userName sw \"a\" and displayName co \"desai\"".into(),
            expect(&|n, d| n.starts_with('a') && d.contains("desai")),
        ),
        (
            format!("userName eq \"{DEMO_ADMIN}\" or displayName eq \"Grace Mwangi\""),
            expect(&|n, d| n == DEMO_ADMIN || d == "grace mwangi"),
        ),
        (
            "userName eq \"nobody@nowhere.example\"".into(),
            BTreeSet::new(),
        ),
    ];
    for (filter, expected) in cases {
        assert!(expected.len() < 100, "{filter} must fit a page");
        let reply = list(&fake, "Users", &[("filter", &filter), ("count", "100")])
            .await
            .expect(200);
        assert_eq!(
            reply.json["totalResults"],
            json!(expected.len()),
            "{filter}"
        );
        assert_eq!(ids(&resources(&reply)), expected, "{filter}");
    }
    let groups = list(
        &fake,
        "Groups",
        &[("filter", "displayName eq \"data-eng\"")],
    )
    .await
    .expect(200);
    assert_eq!(resources(&groups).len(), 1);
    fake.stop().await;
}

#[tokio::test]
async fn malformed_or_oversized_filters_are_invalid_filter() {
    let fake = Fake::demo().await;
    for filter in [
        "userName eq",
        "userName zz \"x\"",
        "(userName eq \"a\"",
        "userName eq ana",
        "userName eq \"unterminated",
    ] {
        let reply = list(&fake, "Users", &[("filter", filter)]).await;
        let detail = assert_scim_error(&reply, 400, Some("invalidFilter"));
        assert!(detail.starts_with("Invalid filter"), "{filter}: {detail}");
    }

    let comparisons = |n: usize| {
        (0..n)
            .map(|i| format!("userName eq \"u{i}@example.com\""))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let reply = list(&fake, "Users", &[("filter", &comparisons(101))]).await;
    let detail = assert_scim_error(&reply, 400, Some("invalidFilter"));
    assert!(detail.contains("201") && detail.contains("200"), "{detail}");
    let reply = list(&fake, "Users", &[("filter", &comparisons(100))])
        .await
        .expect(200);
    assert_eq!(
        reply.json["totalResults"],
        json!(0),
        "199 nodes are allowed"
    );
    fake.stop().await;
}

#[tokio::test]
async fn attributes_and_excluded_attributes_project_resources() {
    let fake = Fake::demo().await;
    let reply = list(
        &fake,
        "Users",
        &[("attributes", "userName"), ("count", "5")],
    )
    .await
    .expect(200);
    let page = resources(&reply);
    assert_eq!(page.len(), 5);
    let allowed: BTreeSet<&str> = ["schemas", "id", "userName", "meta"].into();
    for user in &page {
        assert!(keys(user).is_subset(&allowed), "{user:?}");
        assert!(user.contains_key("id") && user.contains_key("userName"));
    }

    let reply = list(
        &fake,
        "Users",
        &[
            ("excludedAttributes", "emails,name,groups"),
            ("count", "20"),
        ],
    )
    .await
    .expect(200);
    for user in resources(&reply) {
        for gone in ["emails", "name", "groups"] {
            assert!(!user.contains_key(gone), "{gone} in {user:?}");
        }
        assert!(
            user.contains_key("userName")
                && user.contains_key("displayName")
                && user.contains_key("active")
        );
    }

    let admin = fake.scim_id(DEMO_ADMIN);
    let one = fake
        .get(&format!(
            "{}?attributes=displayName",
            fake.scim(&format!("/Users/{admin}"))
        ))
        .await
        .expect(200);
    assert_eq!(one.json["displayName"], json!("Ana Silva"));
    assert_eq!(one.json["id"], json!(admin));
    assert!(one.json.get("userName").is_none());
    fake.stop().await;
}

#[tokio::test]
async fn sort_by_user_name_descending() {
    let fake = Fake::demo().await;
    let mut names: Vec<String> = user_names(&fake)
        .into_iter()
        .map(|(_, name, _)| name.to_lowercase())
        .collect();
    names.sort();
    let ascending: Vec<String> = names.iter().take(10).cloned().collect();
    names.reverse();
    let descending: Vec<String> = names.iter().take(10).cloned().collect();

    let got = |reply: &Reply| -> Vec<String> {
        resources(reply)
            .iter()
            .map(|u| u["userName"].as_str().unwrap().to_lowercase())
            .collect()
    };
    let reply = list(
        &fake,
        "Users",
        &[
            ("sortBy", "userName"),
            ("sortOrder", "descending"),
            ("count", "10"),
        ],
    )
    .await
    .expect(200);
    assert_eq!(got(&reply), descending);
    let reply = list(&fake, "Users", &[("sortBy", "userName"), ("count", "10")])
        .await
        .expect(200);
    assert_eq!(got(&reply), ascending);
    let second = list(
        &fake,
        "Users",
        &[
            ("sortBy", "userName"),
            ("sortOrder", "descending"),
            ("startIndex", "11"),
            ("count", "10"),
        ],
    )
    .await
    .expect(200);
    assert_eq!(
        got(&second),
        names.iter().skip(10).take(10).cloned().collect::<Vec<_>>()
    );
    fake.stop().await;
}

#[tokio::test]
async fn groups_list_omits_members_and_get_has_them() {
    let fake = Fake::demo().await;
    let reply = list(&fake, "Groups", &[("count", "100")]).await.expect(200);
    let groups = resources(&reply);
    assert_eq!(groups.len(), 25);
    assert!(
        groups.iter().all(|g| !g.contains_key("members")),
        "no members in the list"
    );

    let data_eng = groups
        .iter()
        .find(|g| g["displayName"] == json!("data-eng"))
        .expect("data-eng listed");
    let id = data_eng["id"].as_str().unwrap();
    let group = fake
        .get(&fake.scim(&format!("/Groups/{id}")))
        .await
        .expect(200);
    assert_eq!(group.json["schemas"], json!([GROUP_URN]));
    assert_eq!(group.json["meta"]["resourceType"], json!("Group"));
    let members = group.json["members"].as_array().expect("members");
    assert_eq!(members.len(), 29);
    let mut kinds = HashSet::new();
    for member in members {
        let value = member["value"].as_str().expect("value");
        assert!(
            member["display"].as_str().is_some_and(|d| !d.is_empty()),
            "display of {member}"
        );
        let reference = member["$ref"].as_str().expect("$ref");
        let (kind, ref_id) = reference.split_once('/').expect("Kind/id");
        assert_eq!(ref_id, value);
        kinds.insert(kind.to_owned());
    }
    assert_eq!(
        kinds,
        ["Users", "ServicePrincipals", "Groups"]
            .iter()
            .map(|k| (*k).to_owned())
            .collect()
    );
    fake.stop().await;
}

#[tokio::test]
async fn create_user_then_duplicate_user_name_is_a_uniqueness_conflict() {
    let fake = Fake::demo().await;
    let body = json!({
        "schemas": [USER_URN],
        "userName": "new.person@example.com",
        "displayName": "New Person",
        "name": {"givenName": "New", "familyName": "Person"},
    });
    let created = fake.post(&fake.scim("/Users"), &body).await.expect(201);
    let user = created.object();
    assert_eq!(user["schemas"], json!([USER_URN]));
    let id = user["id"].as_str().expect("id is a string");
    assert!(id.chars().all(|c| c.is_ascii_digit()), "{id}");
    assert_eq!(user["userName"], json!("new.person@example.com"));
    assert_eq!(user["active"], json!(true));
    let got = fake
        .get(&fake.scim(&format!("/Users/{id}")))
        .await
        .expect(200);
    assert_eq!(got.json, created.json);
    let count = fake.user_count();

    let reply = fake.post(&fake.scim("/Users"), &body).await;
    let detail = assert_scim_error(&reply, 409, Some("uniqueness"));
    assert!(detail.contains("new.person@example.com"), "{detail}");
    assert_eq!(fake.user_count(), count);

    let missing = fake
        .post(
            &fake.scim("/Users"),
            &json!({"schemas": [USER_URN], "displayName": "No Name"}),
        )
        .await;
    assert_scim_error(&missing, 400, Some("invalidValue"));

    let sp = fake
        .post(
            &fake.scim("/ServicePrincipals"),
            &json!({"schemas": [SP_URN], "displayName": "generated-id"}),
        )
        .await
        .expect(201);
    let application_id = sp.json["applicationId"]
        .as_str()
        .expect("applicationId is generated")
        .to_owned();
    assert_eq!(application_id.len(), 36, "a UUID: {application_id}");
    let again =
        json!({"schemas": [SP_URN], "displayName": "same-app", "applicationId": application_id});
    assert_scim_error(
        &fake.post(&fake.scim("/ServicePrincipals"), &again).await,
        409,
        Some("uniqueness"),
    );
    fake.stop().await;
}

#[tokio::test]
async fn put_replaces_the_user_but_keeps_the_user_name() {
    let fake = Fake::demo().await;
    let body = json!({
        "schemas": [USER_URN],
        "userName": "replace.me@example.com",
        "displayName": "Replace Me",
        "name": {"givenName": "Replace", "familyName": "Me"},
        "externalId": "ext-1",
        "roles": [{"value": "account_admin"}],
    });
    let created = fake.post(&fake.scim("/Users"), &body).await.expect(201);
    let id = created.json["id"].as_str().unwrap().to_owned();
    let url = fake.scim(&format!("/Users/{id}"));

    let replacement = json!({"schemas": [USER_URN], "userName": "renamed@example.com", "displayName": "Replaced", "active": true});
    let reply = fake.put(&url, &replacement).await.expect(200);
    let got = fake.get(&url).await.expect(200);
    assert_eq!(reply.json, got.json);
    assert_eq!(
        got.json["userName"],
        json!("replace.me@example.com"),
        "userName changes are ignored"
    );
    assert_eq!(
        got.json["emails"], created.json["emails"],
        "emails changes are ignored"
    );
    assert_eq!(got.json["displayName"], json!("Replaced"));
    for cleared in ["roles", "name", "externalId"] {
        assert!(
            got.json.get(cleared).is_none(),
            "{cleared} must be cleared: {}",
            got.text
        );
    }
    assert!(
        fake.server
            .shared()
            .read()
            .users
            .find_unique("renamed@example.com")
            .is_none()
    );

    let mismatched =
        json!({"schemas": [USER_URN], "id": "1", "userName": "replace.me@example.com"});
    assert_scim_error(
        &fake.put(&url, &mismatched).await,
        400,
        Some("invalidValue"),
    );
    let unknown = fake.put(&fake.scim("/Users/1234"), &replacement).await;
    assert_scim_error(&unknown, 404, None);

    let (sp, application_id) = fake
        .create_service_principal("immutable-app-id", false)
        .await;
    let sp_url = fake.scim(&format!("/ServicePrincipals/{sp}"));
    let replacement = json!({"schemas": [SP_URN], "applicationId": "11111111-1111-4111-8111-111111111111", "displayName": "renamed-sp"});
    fake.put(&sp_url, &replacement).await.expect(200);
    let got = fake.get(&sp_url).await.expect(200);
    assert_eq!(
        got.json["applicationId"],
        json!(application_id),
        "applicationId is immutable"
    );
    assert_eq!(got.json["displayName"], json!("renamed-sp"));
    fake.stop().await;
}

#[tokio::test]
async fn patch_members_active_and_roles_take_effect() {
    let fake = Fake::demo().await;
    let user = fake.create_user("patch.user@example.com").await;
    let (sp, _) = fake.create_service_principal("patch-sp", false).await;
    let group = create_group(&fake, "patch-group").await;
    let group_url = fake.scim(&format!("/Groups/{group}"));
    let user_url = fake.scim(&format!("/Users/{user}"));

    let add = patch_op(
        json!([{"op": "add", "path": "members", "value": [{"value": user}, {"value": sp}]}]),
    );
    let reply = fake.patch(&group_url, &add).await.expect(204);
    assert!(reply.text.is_empty(), "204 has no body");
    let got = fake.get(&group_url).await.expect(200);
    assert_eq!(member_ids(&got.json), [user.clone(), sp.clone()].into());
    let got_user = fake.get(&user_url).await.expect(200);
    let entry = got_user.json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["value"] == json!(group))
        .expect("group shown")
        .clone();
    assert_eq!(entry["display"], json!("patch-group"));
    assert_eq!(entry["type"], json!("direct"));

    // Clients retry PATCH; a replayed add changes nothing.
    fake.patch(&group_url, &add).await.expect(204);
    let replayed = fake.get(&group_url).await.expect(200);
    assert_eq!(
        replayed.json["members"].as_array().map(Vec::len),
        Some(2),
        "no duplicate members"
    );

    let remove =
        patch_op(json!([{"op": "remove", "path": format!("members[value eq \"{user}\"]")}]));
    fake.patch(&group_url, &remove).await.expect(204);
    assert_eq!(
        member_ids(&fake.get(&group_url).await.expect(200).json),
        [sp.clone()].into()
    );
    assert!(!group_ids_of(&fake.get(&user_url).await.expect(200).json).contains(&group));

    let deactivate = patch_op(json!([{"op": "replace", "path": "active", "value": false}]));
    fake.patch(&user_url, &deactivate).await.expect(204);
    assert_eq!(
        fake.get(&user_url).await.expect(200).json["active"],
        json!(false)
    );
    let reactivate = patch_op(json!([{"op": "replace", "path": "active", "value": true}]));
    fake.patch(&user_url, &reactivate).await.expect(204);
    assert_eq!(
        fake.get(&user_url).await.expect(200).json["active"],
        json!(true)
    );

    let token = fake.token_for_user("patch.user@example.com");
    assert_standard_error(&fake.probe(&token).await, 403, "PERMISSION_DENIED");
    let grant =
        patch_op(json!([{"op": "add", "path": "roles", "value": [{"value": "account_admin"}]}]));
    fake.patch(&user_url, &grant).await.expect(204);
    assert_eq!(
        fake.get(&user_url).await.expect(200).json["roles"],
        json!([{"value": "account_admin"}])
    );
    fake.probe(&token).await.expect(200);
    let revoke = patch_op(json!([{"op": "remove", "path": "roles[value eq \"account_admin\"]"}]));
    fake.patch(&user_url, &revoke).await.expect(204);
    let roles = fake.get(&user_url).await.expect(200).json["roles"].clone();
    assert!(roles.is_null() || roles == json!([]), "{roles}");
    assert_standard_error(&fake.probe(&token).await, 403, "PERMISSION_DENIED");

    let rename_user =
        patch_op(json!([{"op": "replace", "path": "userName", "value": "renamed@example.com"}]));
    fake.patch(&user_url, &rename_user).await.expect(204);
    assert_eq!(
        fake.get(&user_url).await.expect(200).json["userName"],
        json!("patch.user@example.com"),
        "userName changes are ignored"
    );

    let rename = patch_op(json!([{"op": "replace", "value": {"displayName": "patch-group-2"}}]));
    fake.patch(&group_url, &rename).await.expect(204);
    assert_eq!(
        fake.get(&group_url).await.expect(200).json["displayName"],
        json!("patch-group-2")
    );
    fake.stop().await;
}

#[tokio::test]
async fn patch_errors_have_precise_scim_types() {
    let fake = Fake::demo().await;
    let user = fake.create_user("patch.errors@example.com").await;
    let group = create_group(&fake, "patch-errors").await;
    let url = fake.scim(&format!("/Users/{user}"));
    let before = fake.get(&url).await.expect(200).json;

    let unknown_path =
        patch_op(json!([{"op": "replace", "path": "favoriteColor", "value": "blue"}]));
    let detail = assert_scim_error(
        &fake.patch(&url, &unknown_path).await,
        400,
        Some("invalidPath"),
    );
    assert!(detail.contains("favoriteColor"), "{detail}");

    let wrong_schema = json!({"schemas": [USER_URN], "Operations": [{"op": "replace", "path": "active", "value": false}]});
    assert_scim_error(
        &fake.patch(&url, &wrong_schema).await,
        400,
        Some("invalidSyntax"),
    );
    let no_schema = json!({"Operations": [{"op": "replace", "path": "active", "value": false}]});
    assert_scim_error(
        &fake.patch(&url, &no_schema).await,
        400,
        Some("invalidSyntax"),
    );

    let groups = patch_op(json!([{"op": "add", "path": "groups", "value": [{"value": group}]}]));
    let detail = assert_scim_error(&fake.patch(&url, &groups).await, 400, Some("mutability"));
    assert!(detail.contains("groups"), "{detail}");

    let bad_op = patch_op(json!([{"op": "merge", "path": "active", "value": false}]));
    assert_scim_error(&fake.patch(&url, &bad_op).await, 400, Some("invalidSyntax"));

    let missing = fake
        .patch(
            &fake.scim("/Users/1234"),
            &patch_op(json!([{"op": "replace", "path": "active", "value": false}])),
        )
        .await;
    assert_scim_error(&missing, 404, None);

    assert_eq!(
        fake.get(&url).await.expect(200).json,
        before,
        "failed PATCHes change nothing"
    );
    fake.stop().await;
}

#[tokio::test]
async fn unknown_ids_are_404_naming_the_id() {
    let fake = Fake::demo().await;
    for kind in ["Users", "Groups", "ServicePrincipals"] {
        let reply = fake.get(&fake.scim(&format!("/{kind}/999"))).await;
        let detail = assert_scim_error(&reply, 404, None);
        assert!(detail.contains("999"), "{detail}");
        assert!(
            reply
                .header("content-type")
                .is_some_and(|c| c.contains("json"))
        );
    }
    fake.stop().await;
}

#[tokio::test]
async fn delete_is_204_then_404() {
    let fake = Fake::demo().await;
    let id = fake.create_user("delete.me@example.com").await;
    let url = fake.scim(&format!("/Users/{id}"));
    let reply = fake.delete(&url).await.expect(204);
    assert!(reply.text.is_empty());
    assert_scim_error(&fake.get(&url).await, 404, None);
    assert_scim_error(&fake.delete(&url).await, 404, None);
    assert!(
        fake.server
            .shared()
            .read()
            .users
            .find_unique("delete.me@example.com")
            .is_none()
    );

    // Deleting a group drops it from its members' `groups` and from its parent group.
    let member = fake.create_user("orphan@example.com").await;
    let parent = create_group(&fake, "parent-group").await;
    let child = create_group(&fake, "child-group").await;
    let child_url = fake.scim(&format!("/Groups/{child}"));
    let parent_url = fake.scim(&format!("/Groups/{parent}"));
    let add =
        |id: &str| patch_op(json!([{"op": "add", "path": "members", "value": [{"value": id}]}]));
    fake.patch(&child_url, &add(&member)).await.expect(204);
    fake.patch(&parent_url, &add(&child)).await.expect(204);
    let member_url = fake.scim(&format!("/Users/{member}"));
    let groups = group_ids_of(&fake.get(&member_url).await.expect(200).json);
    assert_eq!(
        groups,
        [parent.clone(), child.clone()].into(),
        "direct and indirect groups"
    );
    fake.delete(&child_url).await.expect(204);
    assert!(group_ids_of(&fake.get(&member_url).await.expect(200).json).is_empty());
    assert!(member_ids(&fake.get(&parent_url).await.expect(200).json).is_empty());
    fake.stop().await;
}

#[tokio::test]
async fn deleting_a_user_removes_its_memberships_and_assignments() {
    let fake = Fake::demo().await;
    let id = fake.create_user("leaver@example.com").await;
    let group = fake
        .server
        .shared()
        .read()
        .groups
        .find_unique("data-eng")
        .unwrap()
        .to_owned();
    let group_url = fake.scim(&format!("/Groups/{group}"));
    let add = patch_op(json!([{"op": "add", "path": "members", "value": [{"value": id}]}]));
    fake.patch(&group_url, &add).await.expect(204);
    assert!(member_ids(&fake.get(&group_url).await.expect(200).json).contains(&id));
    let assignments = fake.api(&format!(
        "/workspaces/{ANALYTICS_DEV}/permissionassignments"
    ));
    fake.put(
        &format!("{assignments}/principals/{id}"),
        &json!({"permissions": ["USER"]}),
    )
    .await
    .expect(200);
    let principal: i64 = id.parse().unwrap();
    let assigned = |reply: &Reply| {
        reply.json["permission_assignments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["principal"]["principal_id"] == json!(principal))
    };
    assert!(assigned(&fake.get(&assignments).await.expect(200)));

    fake.delete(&fake.scim(&format!("/Users/{id}")))
        .await
        .expect(204);
    let group_after = fake.get(&group_url).await.expect(200);
    assert!(!member_ids(&group_after.json).contains(&id));
    assert_eq!(
        member_ids(&group_after.json).len(),
        29,
        "other members stay"
    );
    assert!(!assigned(&fake.get(&assignments).await.expect(200)));
    fake.stop().await;
}

#[tokio::test]
async fn unknown_attributes_survive_create_get_and_replace() {
    let fake = Fake::demo().await;
    let extension = json!({"a": 1});
    let body =
        json!({"schemas": [USER_URN], "userName": "ext@example.com", "urn:example:ext": extension});
    let created = fake.post(&fake.scim("/Users"), &body).await.expect(201);
    assert_eq!(created.json["urn:example:ext"], extension);
    let url = fake.scim(&format!("/Users/{}", created.json["id"].as_str().unwrap()));

    let mut got = fake.get(&url).await.expect(200).json;
    assert_eq!(got["urn:example:ext"], extension);
    got["displayName"] = json!("Extended");
    let replaced = fake.put(&url, &got).await.expect(200);
    assert_eq!(replaced.json["urn:example:ext"], extension);
    let again = fake.get(&url).await.expect(200).json;
    assert_eq!(again["urn:example:ext"], extension);
    assert_eq!(again["displayName"], json!("Extended"));
    fake.stop().await;
}

#[tokio::test]
async fn count_and_start_index_edge_values() {
    let fake = Fake::demo().await;
    let reply = list(&fake, "Users", &[("count", "0")]).await.expect(200);
    assert_eq!(reply.json["totalResults"], json!(DEMO_USER_COUNT));
    assert!(reply.json.get("Resources").is_none());
    let reply = list(&fake, "Users", &[("startIndex", "0"), ("count", "3")])
        .await
        .expect(200);
    assert_eq!(
        reply.json["startIndex"],
        json!(1),
        "startIndex below 1 is 1 (RFC 7644 §3.4.2.4)"
    );
    assert_eq!(resources(&reply).len(), 3);
    let reply = list(&fake, "Users", &[("startIndex", "1"), ("count", "10000")])
        .await
        .expect(200);
    assert_eq!(
        resources(&reply).len(),
        100,
        "the SDK's count=10000 is clamped to 100"
    );
    assert_eq!(reply.json["itemsPerPage"], json!(100));
    let reply = fake.get(&fake.scim("/Users")).await.expect(200);
    assert_eq!(resources(&reply).len(), 100);
    fake.stop().await;
}

#[tokio::test]
async fn filters_on_booleans_external_ids_and_upper_case_sort_order() {
    let fake = Fake::demo().await;
    let inactive: BTreeSet<String> = fake
        .server
        .shared()
        .read()
        .users
        .iter()
        .filter(|(_, user)| user.get("active") == Some(&json!(false)))
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(inactive.len(), 10);
    let reply = list(&fake, "Users", &[("filter", "active eq false")])
        .await
        .expect(200);
    assert_eq!(ids(&resources(&reply)), inactive);

    let admin = fake
        .get(&fake.scim(&format!("/Users/{}", fake.scim_id(DEMO_ADMIN))))
        .await
        .expect(200);
    let external = admin.json["externalId"]
        .as_str()
        .expect("seeded externalId")
        .to_owned();
    let reply = list(
        &fake,
        "Users",
        &[("filter", &format!("externalId eq \"{external}\""))],
    )
    .await
    .expect(200);
    assert_eq!(ids(&resources(&reply)), [fake.scim_id(DEMO_ADMIN)].into());

    let upper = list(
        &fake,
        "Users",
        &[
            ("sortBy", "userName"),
            ("sortOrder", "DESCENDING"),
            ("count", "5"),
        ],
    )
    .await
    .expect(200);
    let lower = list(
        &fake,
        "Users",
        &[
            ("sortBy", "userName"),
            ("sortOrder", "descending"),
            ("count", "5"),
        ],
    )
    .await
    .expect(200);
    assert_eq!(upper.json["Resources"], lower.json["Resources"]);
    fake.stop().await;
}

#[tokio::test]
async fn groups_put_clears_members_and_names_are_unique() {
    let fake = Fake::demo().await;
    let user = fake.create_user("member@example.com").await;
    let body =
        json!({"schemas": [GROUP_URN], "displayName": "put-group", "members": [{"value": user}]});
    let created = fake.post(&fake.scim("/Groups"), &body).await.expect(201);
    assert_eq!(member_ids(&created.json), [user.clone()].into());
    let id = created.json["id"].as_str().unwrap().to_owned();
    let url = fake.scim(&format!("/Groups/{id}"));

    let duplicate = fake
        .post(
            &fake.scim("/Groups"),
            &json!({"schemas": [GROUP_URN], "displayName": "put-group"}),
        )
        .await;
    assert_scim_error(&duplicate, 409, Some("uniqueness"));

    let replaced = fake
        .put(
            &url,
            &json!({"schemas": [GROUP_URN], "displayName": "put-group"}),
        )
        .await
        .expect(200);
    assert!(
        replaced.json.get("members").is_none(),
        "omitted members are cleared: {}",
        replaced.text
    );
    assert!(
        !group_ids_of(
            &fake
                .get(&fake.scim(&format!("/Users/{user}")))
                .await
                .expect(200)
                .json
        )
        .contains(&id)
    );

    let not_a_member =
        patch_op(json!([{"op": "remove", "path": format!("members[value eq \"{user}\"]")}]));
    fake.patch(&url, &not_a_member).await.expect(204);

    let unknown_member =
        patch_op(json!([{"op": "add", "path": "members", "value": [{"value": "1234"}]}]));
    let reply = fake.patch(&url, &unknown_member).await;
    assert_eq!(reply.status.as_u16() / 100, 4, "{}", reply.text);
    assert_eq!(reply.json["schemas"], json!([SCIM_ERROR_URN]));
    assert!(
        fake.get(&url)
            .await
            .expect(200)
            .json
            .get("members")
            .is_none()
    );
    fake.stop().await;
}

#[tokio::test]
async fn concurrent_creates_of_one_user_name_make_exactly_one_user() {
    let fake = Fake::demo().await;
    let before = fake.user_count();
    let body = json!({"schemas": [USER_URN], "userName": "race@example.com"});
    let url = fake.scim("/Users");
    let replies = futures_util::future::join_all((0..10).map(|_| fake.post(&url, &body))).await;
    let created = replies.iter().filter(|r| r.status.as_u16() == 201).count();
    assert_eq!(created, 1, "exactly one create wins");
    for reply in replies.iter().filter(|r| r.status.as_u16() != 201) {
        assert_scim_error(reply, 409, Some("uniqueness"));
    }

    let distinct = (0..10)
        .map(|i| json!({"schemas": [USER_URN], "userName": format!("parallel{i}@example.com")}))
        .collect::<Vec<_>>();
    let replies =
        futures_util::future::join_all(distinct.iter().map(|body| fake.post(&url, body))).await;
    let ids: BTreeSet<&str> = replies
        .iter()
        .map(|r| r.json["id"].as_str().expect("created"))
        .collect();
    assert_eq!(ids.len(), 10, "distinct ids");
    assert_eq!(fake.user_count(), before + 11);
    fake.stop().await;
}
