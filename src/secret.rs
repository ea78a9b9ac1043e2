//! A value that must never reach a log, a panic message, a snapshot or the screen by
//! accident: client secrets, SP secret values, access and refresh tokens.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Debug and Display print `***`; the value is read only through [`Secret::expose`], so every
/// deliberate use is easy to find.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The plaintext, for the one place that needs it (an HTTP header, the one reveal).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// Secrets deserialize from the wire (a create response carries one) but serialize as the
/// mask, so a model written to a snapshot, a journal or a log never carries the value.
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("***")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_or_serializes_the_value() {
        let secret = Secret::new("dose1234");
        assert_eq!(format!("{secret} {secret:?}"), "*** ***");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"***\"");
        let parsed: Secret = serde_json::from_str("\"dose1234\"").unwrap();
        assert_eq!(parsed.expose(), "dose1234");
        assert!(!format!("{:?}", Some(parsed)).contains("dose"));
    }
}
