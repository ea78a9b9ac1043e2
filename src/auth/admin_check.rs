//! After sign-in: is this identity an account admin? Answered by the API itself (one tiny
//! SCIM read), so a non-admin hears it plainly instead of seeing empty panes.

use crate::api::{AccountClient, ApiError, ApiErrorKind, Call};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminCheck {
    Admin,
    /// The API refused with 403: what it said.
    NotAdmin {
        message: String,
    },
}

impl AdminCheck {
    /// What the user should read when not an admin.
    pub fn explain(&self, who: &str, account_id: &str) -> Option<String> {
        match self {
            AdminCheck::Admin => None,
            AdminCheck::NotAdmin { message } => Some(format!(
                "{who} is signed in but is not an account admin of account {account_id}: the account API answered \
                 403 PERMISSION_DENIED ({message}). The console needs the account_admin role: ask an account admin \
                 to grant it (Account console → User management → Roles), then sign in again."
            )),
        }
    }
}

pub async fn check_account_admin(client: &AccountClient) -> Result<AdminCheck, ApiError> {
    let call = Call::get(client.account_path("/scim/v2/Users"))
        .query("attributes", "id")
        .query("count", 1);
    match client.json::<serde_json::Value>(call).await {
        Ok(_) => Ok(AdminCheck::Admin),
        Err(error) if error.status() == Some(403) => Ok(AdminCheck::NotAdmin {
            message: match error.kind.as_ref() {
                ApiErrorKind::Http { message, .. } => message.clone(),
                _ => error.to_string(),
            },
        }),
        Err(error) => Err(error),
    }
}
