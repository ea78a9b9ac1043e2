//! Pure validators for the edit forms. Each finding names the field it belongs to (the wire
//! path, e.g. `token_access_policy.refresh_token_ttl_in_minutes`) so a form can show it beside
//! that field, and says what is wrong and what is allowed. Errors block the submit; warnings
//! are shown and the admin may go ahead.

// Public so forms can name fields by their constants (`federation::ISSUER`).
pub mod app_connection;
pub mod federation;
pub mod identity;
mod jwks;
pub mod secrets;
pub mod token_policy;
mod urls;

pub use app_connection::{
    AppConnectionInput, DOCUMENTED_SCOPES, MAX_APP_NAME_CHARS, check_app_name, check_redirect_urls,
    check_scopes, check_user_authorized_scopes, validate_app_connection,
};
pub use federation::{
    PolicyScope, check_audiences, check_issuer, check_jwks_json, check_jwks_uri, check_policy_id,
    check_subject, check_subject_claim, validate_federation_policy,
};
pub use identity::{
    check_display_name, check_user_name, check_workspace_permission,
    validate_service_principal_display_name,
};
pub use secrets::{
    MAX_SECRET_LIFETIME_DAYS, check_secret_lifetime_days, lifetime_days_from_wire,
    lifetime_for_wire,
};
pub use token_policy::{
    check_refresh_needs_offline_access, check_token_access_policy, parse_minutes,
    validate_published_app,
};

/// One message for one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMessage {
    /// The wire path of the field, e.g. `oidc_policy.issuer`.
    pub field: &'static str,
    pub message: String,
}

/// Everything a form's validation found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validation {
    /// Block the submit.
    pub errors: Vec<FieldMessage>,
    /// Shown beside the field; the submit may go ahead.
    pub warnings: Vec<FieldMessage>,
}

impl Validation {
    pub fn new() -> Self {
        Self::default()
    }

    /// No errors (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn error(&mut self, field: &'static str, message: impl Into<String>) {
        self.errors.push(FieldMessage {
            field,
            message: message.into(),
        });
    }

    pub fn warn(&mut self, field: &'static str, message: impl Into<String>) {
        self.warnings.push(FieldMessage {
            field,
            message: message.into(),
        });
    }

    pub fn merge(&mut self, other: Validation) {
        self.errors.extend(other.errors);
        self.warnings.extend(other.warnings);
    }

    pub fn errors_for(&self, field: &str) -> Vec<&str> {
        messages_for(&self.errors, field)
    }

    pub fn warnings_for(&self, field: &str) -> Vec<&str> {
        messages_for(&self.warnings, field)
    }
}

fn messages_for<'a>(messages: &'a [FieldMessage], field: &str) -> Vec<&'a str> {
    messages
        .iter()
        .filter(|m| m.field == field)
        .map(|m| m.message.as_str())
        .collect()
}

/// Reads a number typed into a form field. Empty means "not set" (`None`, no message); text
/// that is not a whole number is an error naming the field and the unit.
pub fn parse_whole_number(
    field: &'static str,
    label: &str,
    unit: &str,
    text: &str,
    validation: &mut Validation,
) -> Option<i64> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    match trimmed.parse::<i64>() {
        Ok(number) => Some(number),
        Err(_) => {
            validation.error(
                field,
                format!("{label} must be a whole number of {unit}; '{trimmed}' is not one."),
            );
            None
        }
    }
}

/// A required one-line text field (a name): not blank, at most `max_chars` characters when
/// given, no control characters; spaces at either end only warn.
pub fn check_required_line(
    field: &'static str,
    label: &str,
    text: &str,
    max_chars: Option<usize>,
    validation: &mut Validation,
) {
    if text.trim().is_empty() {
        validation.error(field, format!("{label} is required."));
        return;
    }
    let length = text.chars().count();
    if let Some(max) = max_chars.filter(|max| length > *max) {
        validation.error(
            field,
            format!("{label} is too long: at most {max} characters are allowed, it has {length}."),
        );
    }
    if let Some((index, bad)) = text.chars().enumerate().find(|(_, c)| c.is_control()) {
        validation.error(
            field,
            format!(
                "{label} must be one line of text; {} at position {} is not allowed.",
                describe_char(bad),
                position(index)
            ),
        );
    }
    if has_outer_whitespace(text) {
        validation.warn(field, format!("{label} has spaces at the start or end."));
    }
}

/// Records "`<label> <number>` is empty" for a blank list entry; true when it was blank.
fn blank_entry(
    field: &'static str,
    label: &str,
    number: usize,
    text: &str,
    validation: &mut Validation,
) -> bool {
    let is_blank = text.trim().is_empty();
    if is_blank {
        validation.error(
            field,
            format!("{label} {number} is empty; fill it in or remove it."),
        );
    }
    is_blank
}

/// The position (from 1) of an earlier entry equal to `list[index]`, for "repeats" messages.
fn earlier_copy(list: &[String], index: usize) -> Option<usize> {
    list[..index]
        .iter()
        .position(|earlier| *earlier == list[index])
        .map(position)
}

/// A character as a message names it: visible ones quoted, blanks and controls by name.
fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        '\n' | '\r' => "a line break".to_owned(),
        c if c.is_control() || c.is_whitespace() => format!("the character U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

/// `text` differs from its trimmed self: a pasted value with a stray space would never
/// match the exact comparisons the server does.
fn has_outer_whitespace(text: &str) -> bool {
    text.trim() != text
}

/// Positions in messages count from 1, as people do ("Redirect URL 2", "position 6").
fn position(index: usize) -> usize {
    index + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_grouped_by_field_and_kind() {
        let mut validation = Validation::new();
        assert!(validation.is_valid());
        validation.warn("scopes", "unknown scope");
        assert!(validation.is_valid(), "warnings do not block");
        validation.error("name", "required");
        let mut other = Validation::new();
        other.error("name", "too long");
        validation.merge(other);
        assert!(!validation.is_valid());
        assert_eq!(validation.errors_for("name"), ["required", "too long"]);
        assert_eq!(validation.warnings_for("scopes"), ["unknown scope"]);
        assert!(validation.errors_for("scopes").is_empty());
    }

    #[test]
    fn whole_numbers_parse_and_bad_text_names_the_unit() {
        let mut validation = Validation::new();
        let field = "token_access_policy.access_token_ttl_in_minutes";
        assert_eq!(
            parse_whole_number(
                field,
                "Access token lifetime",
                "minutes",
                " 60 ",
                &mut validation
            ),
            Some(60)
        );
        assert_eq!(
            parse_whole_number(field, "X", "minutes", "  ", &mut validation),
            None
        );
        assert!(validation.is_valid());
        assert_eq!(
            parse_whole_number(
                field,
                "Access token lifetime",
                "minutes",
                "1.5",
                &mut validation
            ),
            None
        );
        assert_eq!(
            validation.errors_for(field),
            ["Access token lifetime must be a whole number of minutes; '1.5' is not one."]
        );
    }

    #[test]
    fn characters_are_named_readably() {
        assert_eq!(describe_char('_'), "'_'");
        assert_eq!(describe_char(' '), "a space");
        assert_eq!(describe_char('\u{7}'), "the character U+0007");
        assert_eq!(describe_char('\u{a0}'), "the character U+00A0");
    }
}
