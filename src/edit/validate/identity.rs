//! SCIM identity fields (reference §5) and workspace permission levels (§9).

use super::{Validation, check_required_line};
use crate::api::models::workspaces::{PERMISSION_ADMIN, PERMISSION_USER};

pub const USER_NAME: &str = "userName";
pub const DISPLAY_NAME: &str = "displayName";
pub const PERMISSIONS: &str = "permissions";

/// RFC 5321's limit on a forward path, the longest an email address can be.
const MAX_EMAIL_CHARS: usize = 254;

/// A user's `userName` is their email address; it cannot be changed after create.
pub fn check_user_name(user_name: &str, validation: &mut Validation) {
    let mut error = |message: String| validation.error(USER_NAME, message);
    if user_name.trim().is_empty() {
        error("User name is required: the user's email address, e.g. ana@example.com.".into());
        return;
    }
    if user_name.chars().any(char::is_whitespace) {
        error("User name must be an email address, without spaces.".into());
        return;
    }
    let length = user_name.chars().count();
    if length > MAX_EMAIL_CHARS {
        error(format!(
            "User name is too long: an email address has at most {MAX_EMAIL_CHARS} characters, it has {length}."
        ));
        return;
    }
    let Some((local, domain)) = user_name.split_once('@') else {
        error(format!(
            "User name must be an email address such as ana@example.com; '{user_name}' has no '@'."
        ));
        return;
    };
    if domain.contains('@') {
        error(format!(
            "User name must contain exactly one '@'; '{user_name}' has {}.",
            user_name.matches('@').count()
        ));
    } else if local.is_empty() {
        error("User name has nothing before the '@'.".into());
    } else if domain.is_empty() {
        error("User name has nothing after the '@'; add the domain, e.g. example.com.".into());
    } else if !domain.contains('.') {
        error(format!(
            "User name's domain '{domain}' has no dot; an email domain looks like example.com."
        ));
    } else if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
        error(format!(
            "User name's domain '{domain}' has an empty part; check the dots."
        ));
    }
}

/// Display names of users, groups and service principals.
pub fn check_display_name(field: &'static str, text: &str, validation: &mut Validation) {
    check_required_line(field, "Display name", text, None, validation);
}

/// The create/rename form of a service principal holds only its display name.
pub fn validate_service_principal_display_name(text: &str) -> Validation {
    let mut validation = Validation::new();
    check_display_name(DISPLAY_NAME, text, &mut validation);
    validation
}

/// `USER` or `ADMIN`, case-sensitive on the server, so a lower-case entry is an error with
/// the right spelling offered.
pub fn check_workspace_permission(level: &str, validation: &mut Validation) {
    if level == PERMISSION_USER || level == PERMISSION_ADMIN {
        return;
    }
    let message = if level.trim().is_empty() {
        "Permission is required: USER or ADMIN.".to_owned()
    } else if let Some(known) = [PERMISSION_USER, PERMISSION_ADMIN]
        .into_iter()
        .find(|known| known.eq_ignore_ascii_case(level.trim()))
    {
        format!("Permission must be USER or ADMIN in upper case; use '{known}'.")
    } else {
        format!("Permission must be USER or ADMIN; '{level}' is not a workspace permission.")
    };
    validation.error(PERMISSIONS, message);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_name(text: &str) -> Vec<String> {
        let mut validation = Validation::new();
        check_user_name(text, &mut validation);
        validation.errors.into_iter().map(|m| m.message).collect()
    }

    fn permission(level: &str) -> Vec<String> {
        let mut validation = Validation::new();
        check_workspace_permission(level, &mut validation);
        validation.errors.into_iter().map(|m| m.message).collect()
    }

    #[test]
    fn email_shaped_user_names_pass() {
        for text in ["ana@example.com", "ana.silva+ops@data.northwind.example"] {
            assert!(user_name(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn each_user_name_problem_has_its_own_message() {
        let cases = [
            (
                "",
                "User name is required: the user's email address, e.g. ana@example.com.",
            ),
            (
                "ana @example.com",
                "User name must be an email address, without spaces.",
            ),
            (
                "ana",
                "User name must be an email address such as ana@example.com; 'ana' has no '@'.",
            ),
            (
                "a@b@example.com",
                "User name must contain exactly one '@'; 'a@b@example.com' has 2.",
            ),
            ("@example.com", "User name has nothing before the '@'."),
            (
                "ana@",
                "User name has nothing after the '@'; add the domain, e.g. example.com.",
            ),
            (
                "ana@example",
                "User name's domain 'example' has no dot; an email domain looks like example.com.",
            ),
            (
                "ana@example..com",
                "User name's domain 'example..com' has an empty part; check the dots.",
            ),
        ];
        for (text, message) in cases {
            assert_eq!(user_name(text), [message], "{text}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(
            user_name(&long),
            ["User name is too long: an email address has at most 254 characters, it has 262."]
        );
    }

    #[test]
    fn display_names_must_be_non_empty_single_lines() {
        assert_eq!(
            validate_service_principal_display_name("ci-deployer"),
            Validation::new()
        );
        let blank = validate_service_principal_display_name("   ");
        assert_eq!(
            blank.errors_for(DISPLAY_NAME),
            ["Display name is required."]
        );
        let mut validation = Validation::new();
        check_display_name("displayName", "data\teng", &mut validation);
        assert_eq!(
            validation.errors_for(DISPLAY_NAME),
            ["Display name must be one line of text; a tab at position 5 is not allowed."]
        );
        let padded = validate_service_principal_display_name("ci-deployer ");
        assert!(padded.is_valid());
        assert_eq!(
            padded.warnings_for(DISPLAY_NAME),
            ["Display name has spaces at the start or end."]
        );
    }

    #[test]
    fn workspace_permission_is_user_or_admin_in_upper_case() {
        assert!(permission("USER").is_empty() && permission("ADMIN").is_empty());
        assert_eq!(
            permission("admin"),
            ["Permission must be USER or ADMIN in upper case; use 'ADMIN'."]
        );
        assert_eq!(permission(""), ["Permission is required: USER or ADMIN."]);
        assert_eq!(
            permission("OWNER"),
            ["Permission must be USER or ADMIN; 'OWNER' is not a workspace permission."]
        );
    }
}
