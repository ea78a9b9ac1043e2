//! SCIM filters (RFC 7644 §3.4.2.2): a parsed filter expression and its evaluation against a
//! resource as the client sees it (a JSON object).

mod parser;

use std::cmp::Ordering;
use std::fmt;

use serde_json::{Map, Value};

/// The most nodes (comparisons plus logical operators) a filter may have; the reference (§5.3)
/// documents 200 and an `INVALID_FILTER` 400 above it.
pub const MAX_FILTER_NODES: usize = 200;

/// Deepest nesting of parentheses, `not (...)` and `[...]`. Not documented by Databricks; it
/// bounds recursion so that a hostile `((((...` cannot overflow the stack.
pub const MAX_FILTER_NESTING: usize = 64;

/// A parsed SCIM filter such as `userName eq "ana@example.com" and active eq true`.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    root: Expr,
    node_count: usize,
}

/// Why a filter was rejected. The Display text is meant to be returned verbatim as the SCIM
/// error `detail` (scimType `invalidFilter`). Positions are 0-based character offsets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("Invalid filter: the filter is empty")]
    Empty,
    #[error("Invalid filter: expected an attribute name at position {position}, found {found}")]
    ExpectedAttribute { found: String, position: usize },
    #[error("Invalid filter: '{attribute}' is not a valid attribute path at position {position}")]
    InvalidAttribute { attribute: String, position: usize },
    #[error("Invalid filter: expected an operator after '{attribute}' at position {position}")]
    ExpectedOperator { attribute: String, position: usize },
    #[error("Invalid filter: unknown operator '{operator}' at position {position}")]
    UnknownOperator { operator: String, position: usize },
    #[error(
        "Invalid filter: expected a value after '{operator}' at position {position}, found {found}"
    )]
    ExpectedValue {
        operator: String,
        found: String,
        position: usize,
    },
    #[error(
        "Invalid filter: '{value}' is not a valid value at position {position}; \
         strings must be double-quoted"
    )]
    InvalidValue { value: String, position: usize },
    #[error(
        "Invalid filter: operator '{operator}' cannot compare with {value} at position {position}"
    )]
    InvalidComparison {
        operator: String,
        value: String,
        position: usize,
    },
    #[error("Invalid filter: unterminated string starting at position {position}")]
    UnterminatedString { position: usize },
    #[error("Invalid filter: invalid escape sequence in string at position {position}")]
    InvalidEscape { position: usize },
    #[error("Invalid filter: unexpected character '{character}' at position {position}")]
    UnexpectedCharacter { character: char, position: usize },
    #[error("Invalid filter: expected '(' after 'not' at position {position}")]
    ExpectedParenthesisAfterNot { position: usize },
    #[error("Invalid filter: expected '{expected}' at position {position}, found {found}")]
    Unclosed {
        expected: char,
        found: String,
        position: usize,
    },
    #[error(
        "Invalid filter: expected 'and', 'or' or the end of the filter at position {position}, \
         found {found}"
    )]
    ExpectedLogicalOperator { found: String, position: usize },
    #[error("Invalid filter: value filters cannot be nested at position {position}")]
    NestedValueFilter { position: usize },
    #[error("Filter is too complex: {nodes} nodes exceed the maximum of {max}")]
    TooComplex { nodes: usize, max: usize },
    #[error("Filter is too complex: nesting exceeds {max} levels at position {position}")]
    TooDeep { max: usize, position: usize },
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Compare {
        path: AttributePath,
        operator: Operator,
        value: Literal,
    },
    Present(AttributePath),
    /// N-ary so that a long `a and b and c ...` chain stays flat instead of a deep tree.
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `emails[type eq "work"]`: any element of the attribute matches the inner filter.
    ValuePath {
        attribute: String,
        filter: Box<Expr>,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct AttributePath {
    attribute: String,
    sub_attribute: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Equal,
    NotEqual,
    Contains,
    StartsWith,
    EndsWith,
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
}

#[derive(Debug, Clone, PartialEq)]
enum Literal {
    /// `folded` is the lower-cased text, computed once instead of per compared resource.
    String {
        text: String,
        folded: String,
    },
    Boolean(bool),
    Number(f64),
    Null,
}

impl Filter {
    /// Parses filter text; see [`FilterError`] for what is rejected.
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        let root = parser::parse(text)?;
        let node_count = root.node_count();
        if node_count > MAX_FILTER_NODES {
            return Err(FilterError::TooComplex {
                nodes: node_count,
                max: MAX_FILTER_NODES,
            });
        }
        Ok(Filter { root, node_count })
    }

    pub fn matches(&self, resource: &Map<String, Value>) -> bool {
        self.root.matches(resource)
    }

    /// Comparisons plus logical operators (`and`, `or`, `not`) plus value filters (`[...]`).
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// The literal of `<attribute> eq "<string>"` when that comparison decides the whole filter
    /// (alone, or as one operand of a top-level `and`), so a caller can look candidates up in an
    /// index instead of scanning. The comparison is case-insensitive, so such an index must be
    /// keyed by a case-folded value, and the full filter must still be applied to the candidates.
    pub fn equality_value(&self, attribute: &str) -> Option<&str> {
        match &self.root {
            Expr::And(operands) => operands
                .iter()
                .find_map(|operand| operand.equality_value(attribute)),
            other => other.equality_value(attribute),
        }
    }
}

impl Expr {
    fn node_count(&self) -> usize {
        match self {
            Expr::Compare { .. } | Expr::Present(_) => 1,
            Expr::And(operands) | Expr::Or(operands) => {
                operands.len().saturating_sub(1)
                    + operands.iter().map(Expr::node_count).sum::<usize>()
            }
            Expr::Not(inner) => 1 + inner.node_count(),
            Expr::ValuePath { filter, .. } => 1 + filter.node_count(),
        }
    }

    fn equality_value(&self, attribute: &str) -> Option<&str> {
        match self {
            Expr::Compare {
                path,
                operator: Operator::Equal,
                value: Literal::String { text, .. },
            } if path.is_named(attribute) => Some(text),
            _ => None,
        }
    }

    fn matches(&self, resource: &Map<String, Value>) -> bool {
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

impl AttributePath {
    /// `name` may be dotted (`name.givenName`); SCIM attribute names are case-insensitive.
    fn is_named(&self, name: &str) -> bool {
        let (attribute, sub_attribute) = match name.split_once('.') {
            Some((attribute, sub)) => (attribute, Some(sub)),
            None => (name, None),
        };
        self.attribute.eq_ignore_ascii_case(attribute)
            && match (&self.sub_attribute, sub_attribute) {
                (Some(ours), Some(theirs)) => ours.eq_ignore_ascii_case(theirs),
                (None, None) => true,
                _ => false,
            }
    }
}

/// Looks an attribute up by name, ignoring ASCII case as SCIM attribute names require.
pub(super) fn find_attribute<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

/// Drops a schema URN prefix (`urn:ietf:params:scim:schemas:core:2.0:User:userName`): the
/// attribute follows the last colon, and attribute names never contain one.
pub(super) fn strip_schema_prefix(path: &str) -> &str {
    let has_urn = path
        .get(..4)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("urn:"));
    if has_urn {
        path.rsplit_once(':')
            .map_or(path, |(_, attribute)| attribute)
    } else {
        path
    }
}

/// RFC 7643 ATTRNAME (`ALPHA *(ALPHA / DIGIT / "-" / "_")`), plus a leading `$` for `$ref`.
pub(super) fn is_attribute_name(name: &str) -> bool {
    let mut characters = name.chars();
    characters
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '$')
        && characters.all(|rest| rest.is_ascii_alphanumeric() || rest == '-' || rest == '_')
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
        // Databricks' exact case behaviour is unconfirmed; RFC 7643 defaults to caseExact=false.
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

/// Canonical text of the filter (normalised spacing, lower-case keywords), used in messages.
impl fmt::Display for Filter {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root.fmt(formatter)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Compare {
                path,
                operator,
                value,
            } => write!(formatter, "{path} {} {value}", operator.keyword()),
            Expr::Present(path) => write!(formatter, "{path} pr"),
            Expr::And(operands) => write_joined(formatter, operands, " and "),
            Expr::Or(operands) => write_joined(formatter, operands, " or "),
            Expr::Not(inner) => write!(formatter, "not ({inner})"),
            Expr::ValuePath { attribute, filter } => write!(formatter, "{attribute}[{filter}]"),
        }
    }
}

fn write_joined(
    formatter: &mut fmt::Formatter<'_>,
    operands: &[Expr],
    separator: &str,
) -> fmt::Result {
    for (index, operand) in operands.iter().enumerate() {
        if index > 0 {
            formatter.write_str(separator)?;
        }
        // Only an `or` inside an `and` needs parentheses to keep its meaning.
        if matches!(operand, Expr::Or(_)) {
            write!(formatter, "({operand})")?;
        } else {
            write!(formatter, "{operand}")?;
        }
    }
    Ok(())
}

impl fmt::Display for AttributePath {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sub_attribute {
            Some(sub) => write!(formatter, "{}.{sub}", self.attribute),
            None => formatter.write_str(&self.attribute),
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::String { text, .. } => write!(formatter, "{}", Value::from(text.as_str())),
            Literal::Boolean(value) => write!(formatter, "{value}"),
            Literal::Number(value) => write!(formatter, "{value}"),
            Literal::Null => formatter.write_str("null"),
        }
    }
}

impl Operator {
    fn keyword(self) -> &'static str {
        match self {
            Operator::Equal => "eq",
            Operator::NotEqual => "ne",
            Operator::Contains => "co",
            Operator::StartsWith => "sw",
            Operator::EndsWith => "ew",
            Operator::GreaterThan => "gt",
            Operator::GreaterOrEqual => "ge",
            Operator::LessThan => "lt",
            Operator::LessOrEqual => "le",
        }
    }

    fn from_keyword(keyword: &str) -> Option<Operator> {
        const ALL: [Operator; 9] = [
            Operator::Equal,
            Operator::NotEqual,
            Operator::Contains,
            Operator::StartsWith,
            Operator::EndsWith,
            Operator::GreaterThan,
            Operator::GreaterOrEqual,
            Operator::LessThan,
            Operator::LessOrEqual,
        ];
        ALL.into_iter()
            .find(|operator| operator.keyword().eq_ignore_ascii_case(keyword))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

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

    fn error(filter: &str) -> String {
        match Filter::parse(filter) {
            Ok(parsed) => panic!("{filter:?} should be rejected, parsed as {parsed}"),
            Err(error) => error.to_string(),
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

    #[test]
    fn string_escapes_are_decoded() {
        let filter = Filter::parse(r#"displayName eq "Ana \"A\" \u00e9\ud83d\ude00\n""#);
        assert_eq!(
            filter
                .as_ref()
                .ok()
                .and_then(|filter| filter.equality_value("displayName")),
            Some("Ana \"A\" \u{e9}\u{1F600}\n")
        );
    }

    #[test]
    fn node_count_counts_comparisons_and_logical_operators() {
        let count = |text: &str| Filter::parse(text).map(|filter| filter.node_count());
        assert_eq!(count("a pr"), Ok(1));
        assert_eq!(count("a pr and b pr or c pr"), Ok(5));
        assert_eq!(count("not ((a pr))"), Ok(2));
        assert_eq!(count(r#"emails[type eq "work"]"#), Ok(2));
    }

    #[test]
    fn filters_over_two_hundred_nodes_are_too_complex() {
        // 101 comparisons joined by 100 `or`s: 201 nodes.
        let comparisons: Vec<String> = (0..101)
            .map(|index| format!("userName eq \"u{index}\""))
            .collect();
        assert_eq!(
            error(&comparisons.join(" or ")),
            "Filter is too complex: 201 nodes exceed the maximum of 200"
        );
        // 100 comparisons, 99 `or`s and one `not`: exactly 200 is allowed.
        let at_limit = format!("not ({})", comparisons[..100].join(" or "));
        assert_eq!(
            Filter::parse(&at_limit).map(|filter| filter.node_count()),
            Ok(200)
        );
        let huge: Vec<&str> = std::iter::repeat_n("a pr", 20_000).collect();
        assert_eq!(
            error(&huge.join(" and ")),
            "Filter is too complex: 39999 nodes exceed the maximum of 200"
        );
    }

    #[test]
    fn deep_nesting_is_rejected_before_it_can_exhaust_the_stack() {
        let deep = format!("{}a pr{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(
            error(&deep),
            "Filter is too complex: nesting exceeds 64 levels at position 64"
        );
        let nested = format!("{}a pr{}", "(".repeat(64), ")".repeat(64));
        assert!(Filter::parse(&nested).is_ok());
    }

    #[test]
    fn each_syntax_error_has_a_precise_message() {
        let cases = [
            ("", "Invalid filter: the filter is empty"),
            ("  \t ", "Invalid filter: the filter is empty"),
            (
                r#"userName "x""#,
                "Invalid filter: expected an operator after 'userName' at position 9",
            ),
            (
                "userName",
                "Invalid filter: expected an operator after 'userName' at position 8",
            ),
            (
                r#"userName eq "abc"#,
                "Invalid filter: unterminated string starting at position 12",
            ),
            (
                r#"userName eqq "x""#,
                "Invalid filter: unknown operator 'eqq' at position 9",
            ),
            (
                r#"userName eq "x" and"#,
                "Invalid filter: expected an attribute name at position 19, found the end of the filter",
            ),
            (
                r#"or userName pr"#,
                "Invalid filter: expected an attribute name at position 0, found 'or'",
            ),
            (
                r#""x" eq "x""#,
                "Invalid filter: expected an attribute name at position 0, found a string",
            ),
            (
                "9lives pr",
                "Invalid filter: '9lives' is not a valid attribute path at position 0",
            ),
            (
                "name.given.name pr",
                "Invalid filter: 'name.given.name' is not a valid attribute path at position 0",
            ),
            (
                "userName eq",
                "Invalid filter: expected a value after 'eq' at position 11, found the end of the filter",
            ),
            (
                "userName eq )",
                "Invalid filter: expected a value after 'eq' at position 12, found ')'",
            ),
            (
                "userName eq ana",
                "Invalid filter: 'ana' is not a valid value at position 12; strings must be double-quoted",
            ),
            (
                "active gt true",
                "Invalid filter: operator 'gt' cannot compare with true at position 10",
            ),
            (
                "loginCount co 5",
                "Invalid filter: operator 'co' cannot compare with 5 at position 14",
            ),
            (
                r#"userName eq "a\qb""#,
                "Invalid filter: invalid escape sequence in string at position 14",
            ),
            (
                r#"userName eq "\ud800""#,
                "Invalid filter: invalid escape sequence in string at position 13",
            ),
            (
                r#"userName eq "x" # 1"#,
                "Invalid filter: unexpected character '#' at position 16",
            ),
            (
                "not userName pr",
                "Invalid filter: expected '(' after 'not' at position 4",
            ),
            (
                "(userName pr",
                "Invalid filter: expected ')' at position 12, found the end of the filter",
            ),
            (
                r#"emails[type eq "work""#,
                "Invalid filter: expected ']' at position 21, found the end of the filter",
            ),
            (
                "userName pr)",
                "Invalid filter: expected 'and', 'or' or the end of the filter at position 11, found ')'",
            ),
            (
                r#"userName pr active eq true"#,
                "Invalid filter: expected 'and', 'or' or the end of the filter at position 12, found 'active'",
            ),
            (
                r#"emails[value[type pr]]"#,
                "Invalid filter: value filters cannot be nested at position 12",
            ),
        ];
        for (filter, message) in cases {
            assert_eq!(error(filter), message, "filter {filter:?}");
        }
    }

    #[test]
    fn garbage_never_panics() {
        let garbage = [
            "\"",
            "\\",
            "(",
            ")",
            "[",
            "]",
            "((",
            "not",
            "not (",
            "a[",
            "a[]",
            "a[b",
            "a eq \"\\u",
            "a eq \"\\ud83d\\u",
            "a eq \"\\uZZZZ\"",
            "a eq -",
            "a eq 1e999",
            "€ eq 1",
            "a€ pr",
            "urn:",
            "urn:x:",
            "a eq \u{0}",
            ".",
            "$",
            "a.b.c.d eq 1",
            "a and",
            "and",
            "🙂",
            "a eq \"x\" or or b pr",
            "a[b eq 1]]",
            "a eq \"\\ud83d\"",
        ];
        for text in garbage {
            let _ = Filter::parse(text).map(|filter| filter.matches(&ana()));
        }
    }

    #[test]
    fn equality_value_finds_an_indexable_comparison() {
        let value_of = |text: &str, attribute: &str| -> Option<String> {
            Filter::parse(text)
                .ok()
                .and_then(|filter| filter.equality_value(attribute).map(str::to_string))
        };
        assert_eq!(
            value_of(r#"userName eq "Ana@x""#, "userName").as_deref(),
            Some("Ana@x")
        );
        assert_eq!(
            value_of(r#"USERNAME eq "a""#, "userName").as_deref(),
            Some("a")
        );
        assert_eq!(
            value_of(r#"active eq true and userName eq "a""#, "username").as_deref(),
            Some("a")
        );
        assert_eq!(
            value_of(r#"name.givenName eq "Ana""#, "name.givenName").as_deref(),
            Some("Ana")
        );
        assert_eq!(
            value_of(r#"userName eq "a" or active eq true"#, "userName"),
            None
        );
        assert_eq!(value_of(r#"userName ne "a""#, "userName"), None);
        assert_eq!(value_of(r#"userName co "a""#, "userName"), None);
        assert_eq!(value_of("userName eq 5", "userName"), None);
        assert_eq!(value_of(r#"displayName eq "a""#, "userName"), None);
        assert_eq!(value_of(r#"not (userName eq "a")"#, "userName"), None);
        assert_eq!(value_of(r#"name.givenName eq "a""#, "name"), None);
    }

    #[test]
    fn display_prints_an_equivalent_canonical_filter() {
        let text = r#"(A EQ "x\"y" OR b.c pr) and NOT (d GT 1.5) and emails[type eq "work"]"#;
        let printed = Filter::parse(text).map(|filter| filter.to_string());
        let expected = r#"(A eq "x\"y" or b.c pr) and not (d gt 1.5) and emails[type eq "work"]"#;
        assert_eq!(printed.as_deref(), Ok(expected));
        assert_eq!(
            Filter::parse(expected).map(|f| f.to_string()).as_deref(),
            Ok(expected)
        );
    }
}
