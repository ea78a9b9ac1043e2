//! The whole guided rotation of a service principal's secret, in a pseudo-terminal against a
//! `mock-server`: at the end the fake holds the new secret and not the old one, the new
//! secret signs in (M2M), the value never came back to the screen after the reveal, and the
//! journal has both steps without the value.

use serde_json::Value;

use crate::fake::{FakeAccount, id_of};
use crate::journal;
use crate::steps::{go_to, open, select_line, take_secret};
use crate::support::{Key, LARGE, Pty};

fn secret_ids(fake: &FakeAccount, sp_id: &str) -> Vec<String> {
    fake.get(&format!("/servicePrincipals/{sp_id}/credentials/secrets"))["secrets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect()
}

/// The client-credentials grant with the SP's application id and `secret`, on the fake.
fn signs_in(fake: &FakeAccount, application_id: &str, secret: &str) -> bool {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let url = format!("{}/oidc/accounts/{}/v1/token", fake.host, fake.account_id);
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(url)
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", application_id),
                ("client_secret", secret),
                ("scope", "all-apis"),
            ])
            .send()
            .await
            .expect("the token endpoint answers");
        let ok = response.status().is_success();
        let body: Value = response.json().await.unwrap_or_default();
        ok && body["access_token"].as_str().is_some_and(|t| !t.is_empty())
    })
}

#[test]
fn a_whole_rotation_leaves_only_the_new_secret_and_it_signs_in() {
    let fake = FakeAccount::start();
    let sp = fake.service_principal("airflow-prod");
    let (sp_id, application_id) = (
        id_of(&sp),
        sp["applicationId"].as_str().unwrap_or_default().to_owned(),
    );
    let old = secret_ids(&fake, &sp_id);
    assert_eq!(old.len(), 1, "airflow-prod starts with one secret: {old:?}");

    let mut pty: Pty = fake.console(LARGE, &[], &[]);
    pty.wait_for("Users 200 ");
    go_to(&mut pty, "sp", "Service principals 15 ");
    open(
        &mut pty,
        "airflow-prod",
        "airflow-prod",
        "OAuth secrets (1 active",
    );

    // Checks pass, the lifetime form opens; 90 days, review, apply, reveal once.
    pty.send("R");
    pty.wait_for("Rotate: New OAuth secret for airflow-prod");
    pty.send_key(Key::Backspace);
    pty.send_key(Key::Backspace);
    pty.send_key(Key::Backspace);
    pty.send("90");
    pty.send_key(Key::Enter);
    pty.wait_for("Review: New OAuth secret for airflow-prod");
    pty.send_key(Key::Enter);
    let secret = take_secret(&mut pty);

    // The waiting step names the old secret by id, age and expiry.
    let short: String = old[0].chars().take(12).collect();
    let waiting = pty.wait_for("Rotation of airflow-prod: new secret");
    assert!(
        waiting.contents().contains(&format!("{short}… (")),
        "the old secret is named: {}",
        waiting.contents()
    );
    let now = secret_ids(&fake, &sp_id);
    assert_eq!(
        now.len(),
        2,
        "both secrets are live during the overlap: {now:?}"
    );
    assert!(
        signs_in(&fake, &application_id, &secret),
        "the new secret works at once"
    );

    // Consumers switched: delete the old one, naming it, with y.
    select_line(&mut pty, &short);
    pty.send("d");
    pty.wait_for(&format!("Review: Delete secret {short}"));
    pty.send("y");
    pty.wait_for("Rotation of airflow-prod complete: only the new secret");

    let left = secret_ids(&fake, &sp_id);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(!left.contains(&old[0]), "the old secret is gone");
    assert!(
        signs_in(&fake, &application_id, &secret),
        "the new secret still signs in"
    );
    pty.assert_never_shown();
    journal::assert_writes(
        &pty,
        &[
            ("create", "service_principal_secret", "ok"),
            ("delete", "service_principal_secret", "ok"),
        ],
    );
    journal::assert_holds_none_of(&pty, &[&secret]);
}

#[test]
fn a_rotation_at_the_cap_is_stopped_before_anything_is_written() {
    let fake = FakeAccount::start();
    let mut pty = fake.console(LARGE, &[], &[]);
    pty.wait_for("Users 200 ");
    go_to(&mut pty, "sp", "Service principals 15 ");
    open(
        &mut pty,
        "jenkins-legacy",
        "jenkins-legacy",
        "OAuth secrets (5 active",
    );
    pty.send("R");
    pty.wait_for("already has 5 active secrets, the cap");
    assert!(!pty.screen_text().contains("Rotate: New OAuth secret"));
    assert!(journal::entries(&pty).is_empty(), "nothing was written");
}
