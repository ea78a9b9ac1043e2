//! Typed detail views: pure functions from the loaded data (`{"object": …, related…}`) to
//! lines of styled text, some of which link to a related object (Enter opens it). The lines
//! are built when data arrives, so drawing stays a cheap slice of them.

mod account;
mod principal;
pub mod tree;
pub mod when;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::msg::Resource;
use crate::ui::sanitize::sanitize;

/// How a piece of text is meant; the theme decides what that looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Muted,
    Heading,
    Accent,
    Good,
    Warn,
    Bad,
}

/// A related object one key away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub resource: Resource,
    pub id: String,
    pub title: String,
}

/// A related item a line stands for, so `d` and `e` know what they act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Secret {
        id: String,
        label: String,
    },
    Member {
        id: String,
        name: String,
    },
    Assignment {
        principal_id: String,
        name: String,
        permission: String,
    },
    Policy {
        id: String,
    },
    /// A group the principal on screen is a direct member of.
    Membership {
        group_id: String,
        group_name: String,
    },
}

/// One line of a detail: sanitised spans, maybe where Enter goes from it, and maybe the
/// related item it shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewLine {
    pub spans: Vec<(Tone, String)>,
    pub link: Option<Link>,
    pub item: Option<Item>,
}

impl ViewLine {
    pub fn blank() -> Self {
        ViewLine::default()
    }

    pub fn heading(text: &str) -> Self {
        ViewLine {
            spans: vec![(Tone::Heading, text.to_owned())],
            ..ViewLine::default()
        }
    }

    /// A label and a value from the server (sanitised here).
    pub fn field(label: &str, value: &str) -> Self {
        Self::field_toned(label, value, Tone::Normal)
    }

    pub fn field_toned(label: &str, value: &str, tone: Tone) -> Self {
        ViewLine {
            spans: vec![
                (Tone::Muted, format!("{label:<22}")),
                (tone, sanitize(value).into_owned()),
            ],
            ..ViewLine::default()
        }
    }

    pub fn text(tone: Tone, text: &str) -> Self {
        ViewLine {
            spans: vec![(tone, sanitize(text).into_owned())],
            ..ViewLine::default()
        }
    }

    pub fn push(mut self, tone: Tone, text: &str) -> Self {
        self.spans.push((tone, sanitize(text).into_owned()));
        self
    }

    pub fn linked(mut self, resource: Resource, id: &str, title: &str) -> Self {
        self.link = Some(Link {
            resource,
            id: id.to_owned(),
            title: sanitize(title).into_owned(),
        });
        self
    }

    pub fn item(mut self, item: Item) -> Self {
        self.item = Some(item);
        self
    }

    /// The plain text of the line (tests, copy, search).
    pub fn plain(&self) -> String {
        self.spans.iter().map(|(_, text)| text.as_str()).collect()
    }
}

/// `  name` padded to a column, for the item lines of a section.
pub fn cell(text: &str, width: usize) -> String {
    let text = sanitize(text);
    // One column stays free, so a cut cell never runs into the next one.
    let shown = crate::ui::sanitize::truncate_to_width(&text, width.saturating_sub(1));
    let pad = width.saturating_sub(crate::ui::sanitize::display_width(&shown));
    format!("{shown}{}", " ".repeat(pad))
}

/// The typed lines of a loaded detail.
pub fn fields(resource: Resource, data: &Value, now: DateTime<Utc>) -> Vec<ViewLine> {
    let object = data.get("object").unwrap_or(data);
    match resource {
        Resource::Users => principal::user(object, data),
        Resource::Groups => principal::group(object, data),
        Resource::ServicePrincipals | Resource::Secrets => {
            principal::service_principal(object, data, now)
        }
        Resource::Workspaces => account::workspace(object, data),
        Resource::Apps => account::app(object),
        Resource::PublishedApps => account::published_app(object, data),
        Resource::FederationPolicies => account::policy(object),
        Resource::Journal => journal_entry(object),
        Resource::Audit => Vec::new(),
        Resource::Profiles => vec![ViewLine::field(
            "Profile",
            object
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        )],
    }
}

/// The object exactly as the server sent it, pretty-printed and sanitised line by line.
pub fn raw(data: &Value) -> Vec<ViewLine> {
    let object = data.get("object").unwrap_or(data);
    serde_json::to_string_pretty(object)
        .unwrap_or_default()
        .lines()
        .map(|line| ViewLine::text(Tone::Normal, line))
        .collect()
}

/// The section heading with a count: `Groups (3)`.
pub fn section(title: &str, count: usize) -> ViewLine {
    ViewLine::heading(&format!("{title} ({count})"))
}

pub fn none_line(text: &str) -> ViewLine {
    ViewLine::text(Tone::Muted, &format!("  {text}"))
}

/// An error a related read returned, kept beside the section it would have filled.
pub fn related_error(data: &Value, key: &str) -> Option<ViewLine> {
    data.get(format!("{key}_error"))
        .and_then(Value::as_str)
        .map(|error| ViewLine::text(Tone::Bad, &format!("  could not load: {error}")))
}

/// A journal entry: who did what when, and the before/after it recorded (no secret values).
fn journal_entry(entry: &Value) -> Vec<ViewLine> {
    let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or_default();
    let mut lines = vec![
        ViewLine::field("Time", text("time")),
        ViewLine::field("User", text("user")),
        ViewLine::field("Profile", text("profile")),
        ViewLine::field("Account", text("account_id")),
        ViewLine::field("Operation", text("operation")),
        ViewLine::field(
            "Resource",
            &format!("{} {}", text("resource_type"), text("resource_id")),
        ),
        ViewLine::field("Name", text("resource_name")),
        ViewLine::field("Request", &format!("{} {}", text("method"), text("path"))),
        ViewLine::field_toned(
            "Result",
            text("result"),
            if text("result") == "ok" {
                Tone::Good
            } else {
                Tone::Bad
            },
        ),
    ];
    if !text("error").is_empty() {
        lines.push(ViewLine::field_toned("Error", text("error"), Tone::Bad));
    }
    for key in ["before", "after"] {
        lines.push(ViewLine::blank());
        lines.push(ViewLine::heading(&format!(
            "{}{}",
            key[..1].to_uppercase(),
            &key[1..]
        )));
        let pretty = serde_json::to_string_pretty(entry.get(key).unwrap_or(&Value::Null))
            .unwrap_or_default();
        lines.extend(
            pretty
                .lines()
                .map(|line| ViewLine::text(Tone::Normal, &format!("  {line}"))),
        );
    }
    lines
}
