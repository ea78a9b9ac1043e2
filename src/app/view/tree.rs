//! The principal tree: from a user, SP or group, everything it reaches — its groups and the
//! workspaces each group grants, direct workspace assignments, roles, secrets and federation
//! policies — drawn with box characters, each node opening its object.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Tone, ViewLine, when};
use crate::app::facts::{self, SecretState, str_field};
use crate::app::msg::Resource;

/// A node before it is drawn: its text, tone, link and children.
struct Node {
    spans: Vec<(Tone, String)>,
    link: Option<(Resource, String, String)>,
    children: Vec<Node>,
}

impl Node {
    fn new(tone: Tone, text: impl Into<String>) -> Self {
        Node {
            spans: vec![(tone, text.into())],
            link: None,
            children: Vec::new(),
        }
    }

    fn with(mut self, tone: Tone, text: impl Into<String>) -> Self {
        self.spans.push((tone, text.into()));
        self
    }

    fn link(mut self, resource: Resource, id: &str, title: &str) -> Self {
        self.link = Some((resource, id.to_owned(), title.to_owned()));
        self
    }
}

fn items<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn workspace_node(assignment: &Value) -> Node {
    let id = assignment
        .get("workspace_id")
        .map(|id| id.to_string())
        .unwrap_or_default();
    let name = str_field(assignment, "workspace_name")
        .unwrap_or(&id)
        .to_owned();
    let permissions = facts::strings(assignment, "permissions").join(", ");
    let tone = if permissions.contains("ADMIN") {
        Tone::Warn
    } else {
        Tone::Normal
    };
    Node::new(Tone::Accent, format!("workspace {name}"))
        .with(tone, format!("  {permissions}"))
        .link(Resource::Workspaces, &id, &name)
}

fn via_group(assignment: &Value) -> Option<&str> {
    assignment.get("via").and_then(|via| str_field(via, "id"))
}

/// The tree of a principal; `resource` says which kind `data.object` is.
pub fn principal(resource: Resource, data: &Value, now: DateTime<Utc>) -> Vec<ViewLine> {
    let object = data.get("object").unwrap_or(data);
    let assignments = items(data, "workspaces");
    let mut root = root_node(resource, object);

    let groups = items(object, "groups");
    let mut groups_node = Node::new(Tone::Heading, format!("Groups ({})", groups.len()));
    for group in groups {
        let id = str_field(group, "value").unwrap_or_default();
        let name = str_field(group, "display").unwrap_or(id);
        let mut node = Node::new(Tone::Accent, format!("group {name}"))
            .with(
                Tone::Muted,
                format!("  {}", str_field(group, "type").unwrap_or("direct")),
            )
            .link(Resource::Groups, id, name);
        node.children = assignments
            .iter()
            .filter(|a| via_group(a) == Some(id))
            .map(workspace_node)
            .collect();
        groups_node.children.push(node);
    }
    root.children.push(groups_node);

    let direct: Vec<Node> = assignments
        .iter()
        .filter(|a| via_group(a).is_none())
        .map(workspace_node)
        .collect();
    let mut direct_node = Node::new(
        Tone::Heading,
        format!("Workspaces, assigned directly ({})", direct.len()),
    );
    direct_node.children = direct;
    root.children.push(direct_node);

    let roles = facts::role_names(object);
    let mut roles_node = Node::new(Tone::Heading, format!("Account roles ({})", roles.len()));
    roles_node.children = roles
        .iter()
        .map(|role| {
            let tone = if role == "account_admin" {
                Tone::Warn
            } else {
                Tone::Normal
            };
            Node::new(tone, role.clone())
        })
        .collect();
    root.children.push(roles_node);

    if resource == Resource::ServicePrincipals {
        root.children.push(secrets_node(data, now));
        root.children.push(policies_node(data, object));
    }
    let mut lines = Vec::new();
    draw(&root, "", "", &mut lines);
    lines
}

fn root_node(resource: Resource, object: &Value) -> Node {
    let id = str_field(object, "id").unwrap_or_default();
    let name = str_field(object, "userName")
        .or_else(|| str_field(object, "displayName"))
        .unwrap_or(id);
    let kind = match resource {
        Resource::Users => "user",
        Resource::Groups => "group",
        _ => "service principal",
    };
    let mut node = Node::new(Tone::Heading, name).with(Tone::Muted, format!("  {kind}"));
    if !facts::is_active(object) {
        node = node.with(Tone::Bad, " · inactive");
    }
    if facts::is_account_admin(object) {
        node = node.with(Tone::Warn, " · account admin");
    }
    node
}

fn secrets_node(data: &Value, now: DateTime<Utc>) -> Node {
    let secrets = items(data, "secrets");
    let mut node = Node::new(Tone::Heading, format!("OAuth secrets ({})", secrets.len()));
    for secret in secrets {
        let state = SecretState::of(secret, now);
        let short: String = str_field(secret, "id")
            .unwrap_or_default()
            .chars()
            .take(12)
            .collect();
        let expiry = match state.days_left {
            Some(days) => format!(
                "expires {} ({})",
                when::date_text(str_field(secret, "expire_time")),
                when::relative_days(days)
            ),
            None => "never expires".into(),
        };
        let tone = if state.flag().is_some() {
            Tone::Warn
        } else {
            Tone::Normal
        };
        node.children.push(
            Node::new(Tone::Normal, format!("secret {short}…"))
                .with(Tone::Muted, format!("  {}  ", state.status))
                .with(tone, expiry),
        );
    }
    node
}

fn policies_node(data: &Value, object: &Value) -> Node {
    let policies = items(data, "policies");
    let sp_id = str_field(object, "id").unwrap_or_default();
    let mut node = Node::new(
        Tone::Heading,
        format!("Federation policies ({})", policies.len()),
    );
    for policy in policies {
        let id = str_field(policy, "policy_id").unwrap_or_default();
        let oidc = policy.get("oidc_policy").cloned().unwrap_or_default();
        node.children.push(
            Node::new(Tone::Accent, format!("policy {id}"))
                .with(
                    Tone::Muted,
                    format!("  {}", str_field(&oidc, "issuer").unwrap_or_default()),
                )
                .with(
                    Tone::Normal,
                    format!("  {}", str_field(&oidc, "subject").unwrap_or_default()),
                )
                .link(
                    Resource::FederationPolicies,
                    &format!("sp:{sp_id}/{id}"),
                    id,
                ),
        );
    }
    node
}

/// Depth-first, with `├─`/`└─` for the node and `│ ` under open branches.
fn draw(node: &Node, lead: &str, child_lead: &str, lines: &mut Vec<ViewLine>) {
    let mut line = ViewLine::text(Tone::Muted, &format!(" {lead}"));
    for (tone, text) in &node.spans {
        line = line.push(*tone, text);
    }
    if let Some((resource, id, title)) = &node.link {
        line = line.linked(*resource, id, title);
    }
    lines.push(line);
    for (index, child) in node.children.iter().enumerate() {
        let last = index + 1 == node.children.len();
        let (branch, next) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        draw(
            child,
            &format!("{child_lead}{branch}"),
            &format!("{child_lead}{next}"),
            lines,
        );
    }
}
