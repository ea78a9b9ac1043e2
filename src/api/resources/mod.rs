//! One module per account API resource: typed methods on `AccountClient`. List methods are
//! generic over the item type, so the same request serves typed models and the snapshot's
//! raw JSON (kept exactly as the server sent it).

mod access_control;
mod apps;
mod federation;
pub use federation::FederationScope;
mod scim;
mod secrets;
mod workspaces;

/// Percent-encodes one path segment (ids come from the server, but a stray `?` or `#` must
/// never change which URL is called). Slashes are kept: policy ids may contain them.
pub(crate) fn segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn segments_are_escaped_but_slashes_kept() {
        assert_eq!(super::segment("github-prod"), "github-prod");
        assert_eq!(super::segment("team/ci"), "team/ci");
        assert_eq!(super::segment("a?b#c d"), "a%3Fb%23c%20d");
    }
}
