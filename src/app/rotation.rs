//! Rotating a service principal's OAuth secret by hand, as a guided sequence: checks (the
//! cap of active secrets, the SP active), a new secret revealed once, then a waiting step
//! that names every old active secret until the admin deletes the ones consumers no longer
//! use. Each write is an ordinary journaled edit; this module only keeps track of the steps
//! and says, at any point, what state the SP is in.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::facts::{self, SECRET_CAP, SecretState, str_field};
use super::view::when;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The new secret's form, review or reveal is open.
    Creating,
    /// The new secret exists; old ones are still active.
    Waiting { new_secret: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    pub sp_id: String,
    pub sp_name: String,
    /// Secrets active when the rotation began: the ones being replaced.
    pub old: Vec<String>,
    pub step: Step,
}

/// An old secret as the waiting step names it: id, age and expiry.
pub fn describe_secret(secret: &Value, now: DateTime<Utc>) -> String {
    let id: String = str_field(secret, "id")
        .unwrap_or_default()
        .chars()
        .take(12)
        .collect();
    let age = when::parse(str_field(secret, "create_time"))
        .map(|t| format!("{} d old", when::days_since(t, now)))
        .unwrap_or_else(|| "age unknown".into());
    let expiry = match SecretState::of(secret, now).days_left {
        Some(days) => format!("expires {}", when::relative_days(days)),
        None => "never expires".into(),
    };
    format!("{id}… ({age}, {expiry})")
}

fn secrets(data: &Value) -> &[Value] {
    data.get("secrets")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn active_ids(data: &Value, now: DateTime<Utc>) -> Vec<String> {
    secrets(data)
        .iter()
        .filter(|s| SecretState::of(s, now).is_active)
        .filter_map(|s| str_field(s, "id").map(str::to_owned))
        .collect()
}

/// Whether a rotation can start on this SP (its detail data), or why not.
pub fn check(data: &Value, now: DateTime<Utc>) -> Result<Rotation, String> {
    let object = data.get("object").unwrap_or(data);
    let name = str_field(object, "displayName")
        .unwrap_or_default()
        .to_owned();
    if data.get("secrets").is_none() {
        return Err(format!(
            "The secrets of {name} could not be read, so a rotation cannot be checked: r reloads"
        ));
    }
    if !facts::is_active(object) {
        return Err(format!(
            "{name} is inactive: its secrets cannot sign in. Activate it first (x), or delete its secrets instead of rotating"
        ));
    }
    let old = active_ids(data, now);
    if old.len() >= SECRET_CAP {
        return Err(format!(
            "{name} already has {} active secrets, the cap: a new one would be refused. Delete one no consumer uses (select it, d), then rotate",
            old.len()
        ));
    }
    Ok(Rotation {
        sp_id: str_field(object, "id").unwrap_or_default().to_owned(),
        sp_name: name,
        old,
        step: Step::Creating,
    })
}

impl Rotation {
    /// The old secrets still active in `data` (the SP's refreshed detail).
    pub fn remaining(&self, data: &Value, now: DateTime<Utc>) -> Vec<Value> {
        let active = active_ids(data, now);
        secrets(data)
            .iter()
            .filter(|s| {
                str_field(s, "id").is_some_and(|id| self.old.iter().any(|o| o == id))
                    && str_field(s, "id").is_some_and(|id| active.iter().any(|a| a == id))
            })
            .cloned()
            .collect()
    }

    /// The state of the SP in one sentence: what the admin leaves behind if they stop now.
    pub fn state_text(&self, data: Option<&Value>, now: DateTime<Utc>) -> String {
        match &self.step {
            Step::Creating => format!(
                "Rotation of {}: no new secret yet; the {} old one(s) are untouched",
                self.sp_name,
                self.old.len()
            ),
            Step::Waiting { new_secret } => {
                let short: String = new_secret.chars().take(12).collect();
                let remaining = data.map(|d| self.remaining(d, now)).unwrap_or_default();
                if remaining.is_empty() {
                    format!(
                        "Rotation of {} complete: only the new secret {short}… is active",
                        self.sp_name
                    )
                } else {
                    let names: Vec<String> =
                        remaining.iter().map(|s| describe_secret(s, now)).collect();
                    format!(
                        "Rotation of {}: new secret {short}… created, old secret(s) still active: {}",
                        self.sp_name,
                        names.join(", ")
                    )
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn now() -> DateTime<Utc> {
        when::parse(Some("2026-11-22T12:00:00Z")).expect("a time")
    }

    fn secret(id: &str, expires: &str) -> Value {
        json!({"id": id, "status": "ACTIVE", "create_time": "2025-11-22T12:00:00Z", "expire_time": expires})
    }

    fn sp(active: bool, secrets: Vec<Value>) -> Value {
        json!({"object": {"id": "7", "displayName": "airflow-prod", "active": active}, "secrets": secrets})
    }

    #[test]
    fn checks_refuse_at_the_cap_and_when_inactive() {
        let five: Vec<Value> = (0..5)
            .map(|i| secret(&format!("s{i}"), "2027-01-01T00:00:00Z"))
            .collect();
        let at_cap = check(&sp(true, five), now()).expect_err("at the cap");
        assert!(at_cap.contains("5 active secrets, the cap"), "{at_cap}");
        let inactive = check(&sp(false, vec![]), now()).expect_err("inactive");
        assert!(inactive.contains("is inactive"), "{inactive}");
        let unread =
            check(&json!({"object": {"displayName": "x"}}), now()).expect_err("no secrets read");
        assert!(unread.contains("could not be read"));
    }

    #[test]
    fn the_state_names_what_is_left_behind() {
        let data = sp(true, vec![secret("old1", "2026-12-02T12:00:00Z")]);
        let mut rotation = check(&data, now()).expect("can rotate");
        assert_eq!(rotation.old, ["old1"]);
        assert!(
            rotation
                .state_text(Some(&data), now())
                .contains("no new secret yet")
        );
        rotation.step = Step::Waiting {
            new_secret: "new1234567890abc".into(),
        };
        let both = sp(
            true,
            vec![
                secret("old1", "2026-12-02T12:00:00Z"),
                secret("new1234567890abc", "2027-11-22T12:00:00Z"),
            ],
        );
        let text = rotation.state_text(Some(&both), now());
        assert!(text.contains("new secret new123456789… created"), "{text}");
        assert!(
            text.contains("old1… (365 d old, expires in 10 d)"),
            "{text}"
        );
        let done = sp(
            true,
            vec![secret("new1234567890abc", "2027-11-22T12:00:00Z")],
        );
        assert!(rotation.state_text(Some(&done), now()).contains("complete"));
    }
}
