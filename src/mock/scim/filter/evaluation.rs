//! Evaluates a parsed filter against a resource: attribute lookup (case-insensitive, through
//! multi-valued and complex attributes) and the comparison rules of RFC 7644 §3.4.2.2.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::{AttributePath, Expr, Literal, Operator, find_attribute};

impl Expr {
    pub(super) fn matches(&self, resource: &Map<String, Value>) -> bool {
        match self {
            Expr::Compare {
                path,
                operator,
                value,
            } => compare(resource, path, *operator, value),
            Expr::Present(path) => is_present(resource, path),
            Expr::And(operands) => operands.iter().all(|operand| operand.matches(resource)),
            Expr::Or(operands) => operands.iter().any(|operand| operand.matches(resource)),
            Expr::Not(inner) => !inner.matches(resource),
            Expr::ValuePath { attribute, filter } => match find_attribute(resource, attribute) {
                Some(Value::Array(elements)) => elements
                    .iter()
                    .filter_map(Value::as_object)
                    .any(|element| filter.matches(element)),
                Some(Value::Object(single)) => filter.matches(single),
                _ => false,
            },
        }
    }
}

/// Calls `predicate` on each value the path selects until it returns true. Multi-valued
/// attributes contribute every element; with `use_element_value`, a complex element without a
/// sub-attribute in the path stands for its `value` (so `roles eq "account_admin"` works).
fn any_value(
    resource: &Map<String, Value>,
    path: &AttributePath,
    use_element_value: bool,
    predicate: &dyn Fn(&Value) -> bool,
) -> bool {
    let Some(top) = find_attribute(resource, &path.attribute) else {
        return false;
    };
    let any_in = |value: &Value| match value {
        Value::Array(items) => items.iter().any(predicate),
        other => predicate(other),
    };
    match (&path.sub_attribute, top) {
        (Some(sub), Value::Array(elements)) => elements
            .iter()
            .filter_map(Value::as_object)
            .filter_map(|element| find_attribute(element, sub))
            .any(any_in),
        (Some(sub), Value::Object(single)) => find_attribute(single, sub).is_some_and(any_in),
        (Some(_), _) => false,
        (None, Value::Array(elements)) => elements.iter().any(|element| match element {
            Value::Object(complex) if use_element_value => {
                find_attribute(complex, "value").is_some_and(predicate)
            }
            other => predicate(other),
        }),
        (None, other) => predicate(other),
    }
}

/// RFC 7644 `pr`: a non-empty value, or a complex value with at least one member.
fn is_present(resource: &Map<String, Value>, path: &AttributePath) -> bool {
    any_value(resource, path, false, &|value| match value {
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(members) => !members.is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
    })
}

fn compare(
    resource: &Map<String, Value>,
    path: &AttributePath,
    operator: Operator,
    literal: &Literal,
) -> bool {
    // RFC 7644 does not define `null` literals; treat `eq null` as "not present", the common
    // reading of "null and unassigned are equivalent" (RFC 7643 §2.5).
    if *literal == Literal::Null {
        return match operator {
            Operator::NotEqual => is_present(resource, path),
            _ => !is_present(resource, path),
        };
    }
    // `ne` on a multi-valued attribute holds when no element is equal; a missing attribute is
    // "not equal" to anything.
    if operator == Operator::NotEqual {
        return !any_value(resource, path, true, &|actual| {
            compare_value(actual, Operator::Equal, literal)
        });
    }
    any_value(resource, path, true, &|actual| {
        compare_value(actual, operator, literal)
    })
}

fn compare_value(actual: &Value, operator: Operator, literal: &Literal) -> bool {
    match (actual, literal) {
        // Databricks' exact case behaviour is unconfirmed; we follow the RFC 7643/7644 default,
        // caseExact=false. The ASCII case skips an allocation per resource in full scans.
        (Value::String(actual), Literal::String { folded, .. })
            if operator == Operator::Equal && actual.is_ascii() =>
        {
            actual.eq_ignore_ascii_case(folded)
        }
        (Value::String(actual), Literal::String { folded, .. }) => {
            compare_text(&actual.to_lowercase(), operator, folded)
        }
        // Lenient with clients that quote booleans (`active eq "true"`).
        (Value::Bool(actual), Literal::String { folded, .. }) => {
            operator == Operator::Equal && folded.parse::<bool>() == Ok(*actual)
        }
        (Value::Bool(actual), Literal::Boolean(expected)) => {
            operator == Operator::Equal && actual == expected
        }
        (Value::Number(actual), Literal::Number(expected)) => actual
            .as_f64()
            .and_then(|actual| actual.partial_cmp(expected))
            .is_some_and(|ordering| ordering_satisfies(ordering, operator)),
        _ => false,
    }
}

fn compare_text(actual: &str, operator: Operator, expected: &str) -> bool {
    match operator {
        Operator::Contains => actual.contains(expected),
        Operator::StartsWith => actual.starts_with(expected),
        Operator::EndsWith => actual.ends_with(expected),
        _ => ordering_satisfies(actual.cmp(expected), operator),
    }
}

fn ordering_satisfies(ordering: Ordering, operator: Operator) -> bool {
    match operator {
        Operator::Equal => ordering.is_eq(),
        Operator::NotEqual => ordering.is_ne(),
        Operator::GreaterThan => ordering.is_gt(),
        Operator::GreaterOrEqual => ordering.is_ge(),
        Operator::LessThan => ordering.is_lt(),
        Operator::LessOrEqual => ordering.is_le(),
        Operator::Contains | Operator::StartsWith | Operator::EndsWith => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::Filter;
    use super::*;

    fn ana() -> Map<String, Value> {
        let value = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": "4187365291046583",
            "userName": "ana@example.com",
            "displayName": "Ana Silva",
            "name": {"givenName": "Ana", "familyName": "Silva"},
            "emails": [
                {"value": "ana@example.com", "type": "work", "primary": true},
                {"value": "ana@home.example", "type": "home"}
            ],
            "active": true,
            "externalId": "00u1a2b3c4D5e6F7g8h9",
            "groups": [{"value": "6029384756102938", "display": "data-eng", "type": "direct"}],
            "roles": [{"value": "account_admin"}],
            "loginCount": 5
        });
        match value {
            Value::Object(map) => map,
            _ => unreachable!("the fixture is an object"),
        }
    }

    fn matches(filter: &str) -> bool {
        match Filter::parse(filter) {
            Ok(parsed) => parsed.matches(&ana()),
            Err(error) => panic!("{filter:?} should parse: {error}"),
        }
    }

    #[test]
    fn each_string_operator_compares_as_the_rfc_defines() {
        assert!(matches(r#"userName eq "ana@example.com""#));
        assert!(!matches(r#"userName eq "bo@example.com""#));
        assert!(matches(r#"userName ne "bo@example.com""#));
        assert!(!matches(r#"userName ne "ana@example.com""#));
        assert!(matches(r#"displayName co "a sil""#));
        assert!(!matches(r#"displayName co "bo""#));
        assert!(matches(r#"displayName sw "ana""#));
        assert!(!matches(r#"displayName sw "silva""#));
        assert!(matches(r#"displayName ew "SILVA""#));
        assert!(!matches(r#"displayName ew "ana""#));
        assert!(matches(r#"userName gt "aaa""#));
        assert!(matches(r#"userName ge "ana@example.com""#));
        assert!(!matches(r#"userName lt "ana""#));
        assert!(matches(r#"userName le "ANA@EXAMPLE.COM""#));
    }
    #[test]
    fn numbers_compare_numerically() {
        assert!(matches("loginCount eq 5"));
        assert!(matches("loginCount eq 5.0"));
        assert!(matches("loginCount gt 4.5"));
        assert!(matches("loginCount ge 5"));
        assert!(!matches("loginCount lt 5"));
        assert!(matches("loginCount le 1e1"));
        assert!(!matches(r#"loginCount eq "5""#));
    }
    #[test]
    fn present_needs_a_non_empty_value() {
        assert!(matches("externalId pr"));
        assert!(matches("emails pr"));
        assert!(matches("name.givenName pr"));
        assert!(!matches("nickName pr"));
        let mut group = ana();
        group.insert("members".into(), json!([]));
        group.insert("title".into(), json!(""));
        assert!(!Filter::parse("members pr").is_ok_and(|filter| filter.matches(&group)));
        assert!(!Filter::parse("title pr").is_ok_and(|filter| filter.matches(&group)));
    }
    #[test]
    fn missing_attributes_are_unequal_and_absent() {
        assert!(!matches(r#"nickName eq "ana""#));
        assert!(matches(r#"nickName ne "ana""#));
        assert!(!matches(r#"name.middleName co "a""#));
        assert!(matches("nickName eq null"));
        assert!(!matches("userName eq null"));
        assert!(matches("userName ne null"));
    }
    #[test]
    fn and_binds_tighter_than_or() {
        // true or (false and false)
        assert!(matches(
            r#"active eq true or userName eq "x" and displayName eq "y""#
        ));
        // (true or false) and false
        assert!(!matches(
            r#"(active eq true or userName eq "x") and displayName eq "y""#
        ));
        // false and false or true
        assert!(matches(
            r#"userName eq "x" and displayName eq "y" or active eq true"#
        ));
    }
    #[test]
    fn not_negates_its_parenthesised_filter() {
        assert!(matches(r#"not (userName eq "bo@example.com")"#));
        assert!(!matches(r#"not (userName eq "ana@example.com")"#));
        assert!(matches(r#"NOT(not (active eq true))"#));
        assert!(matches(r#"active eq true and not (displayName co "bo")"#));
    }
    #[test]
    fn attribute_names_keywords_and_strings_ignore_case() {
        assert!(matches(r#"USERNAME EQ "ANA@Example.Com""#));
        assert!(matches(r#"Name.GivenName Eq "ana" AND Active Eq TRUE"#));
        assert!(matches(
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "ana@example.com""#
        ));
    }
    #[test]
    fn multi_valued_attributes_match_when_any_element_matches() {
        assert!(matches(r#"emails.value eq "ana@home.example""#));
        assert!(matches(r#"emails eq "ana@example.com""#));
        assert!(matches(r#"emails.type eq "home""#));
        assert!(matches(r#"roles eq "account_admin""#));
        assert!(matches(r#"roles.value eq "ACCOUNT_ADMIN""#));
        assert!(matches(r#"groups.value eq "6029384756102938""#));
        assert!(matches(r#"groups.display sw "data""#));
        assert!(!matches(r#"roles eq "marketplace.admin""#));
        // `ne` holds only when no element is equal.
        assert!(!matches(r#"emails.value ne "ana@home.example""#));
        assert!(matches(r#"roles ne "marketplace.admin""#));
    }
    #[test]
    fn value_filters_match_within_one_element() {
        assert!(matches(
            r#"emails[type eq "work" and value co "example.com"]"#
        ));
        assert!(!matches(r#"emails[type eq "home" and primary eq true]"#));
        assert!(matches(r#"emails[type eq "home"] and active eq true"#));
        assert!(!matches(r#"nicknames[value pr]"#));
        let members =
            json!({"members": [{"value": "7", "display": "ci", "$ref": "ServicePrincipals/7"}]});
        let Value::Object(group) = members else {
            unreachable!("the fixture is an object")
        };
        let by_reference = Filter::parse(r#"members[$ref sw "ServicePrincipals/"]"#);
        assert!(by_reference.is_ok_and(|filter| filter.matches(&group)));
    }
    #[test]
    fn booleans_compare_with_booleans_or_quoted_booleans() {
        assert!(matches("active eq true"));
        assert!(!matches("active eq false"));
        assert!(matches("active ne false"));
        assert!(matches(r#"active eq "TRUE""#));
        assert!(!matches(r#"active eq "yes""#));
        assert!(!matches(r#"userName eq true"#));
    }
}
