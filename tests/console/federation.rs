//! Federation policies: the account's list, an account policy with a plain-http issuer, and
//! a service principal's policy linking back to its SP.

use dbx_console::app::msg::Resource;
use dbx_console::app::state::DetailMode;

use crate::fixtures_account::{on_detail, on_list};
use crate::fixtures_apps::{federation_policies, service_principal_policy};
use crate::fixtures_principals::sp_id;
use crate::support::{assert_on_screen, snapshot};

#[test]
fn federation_policies_list() {
    let state = on_list(Resource::FederationPolicies, &federation_policies());
    snapshot(
        "federation_policies_list",
        "Three account policies: issuer, audiences, subject claim (email, or 'sub' when the \
         policy leaves it out) and description; legacy-idp's issuer is plain http.",
        &state,
    );
    let list = &state.lists[&Resource::FederationPolicies];
    assert_eq!(list.rows[1].cells[1], "http://idp.northwind.example");
    assert_eq!(list.rows[2].cells[3], "sub", "the server's default claim");
}

#[test]
fn account_federation_policy_detail() {
    let state = on_detail(
        Resource::FederationPolicies,
        &federation_policies(),
        "legacy-idp",
        "legacy-idp",
        serde_json::json!({"object": federation_policies()[1].clone()}),
        DetailMode::Fields,
    );
    snapshot(
        "federation_policy_detail_account",
        "legacy-idp: account-wide, its description, the http issuer (shown in the 'bad' tone), \
         audiences, subject claim, name, uid and dates. No service principal line.",
        &state,
    );
    let detail = state.detail.as_ref().expect("a detail");
    assert!(detail.lines.iter().all(|line| line.link.is_none()));
}

#[test]
fn service_principal_federation_policy_detail() {
    let id = format!("sp:{}/github-prod", sp_id(0));
    let state = on_detail(
        Resource::FederationPolicies,
        &federation_policies(),
        &id,
        "github-prod",
        service_principal_policy(),
        DetailMode::Fields,
    );
    snapshot(
        "federation_policy_detail_service_principal",
        "github-prod of ci-deployer: scope 'service principal', the SP's id on a line that \
         opens it, the GitHub issuer, audience and subject, and the default subject claim.",
        &state,
    );
    assert_on_screen(&state, (80, 24), &["Subject claim         sub (default)"]);
    let detail = state.detail.as_ref().expect("a detail");
    let link = detail
        .lines
        .iter()
        .find_map(|line| line.link.clone())
        .expect("the SP line opens the SP");
    assert_eq!(
        (link.resource, link.id.as_str()),
        (Resource::ServicePrincipals, sp_id(0).as_str())
    );
}
