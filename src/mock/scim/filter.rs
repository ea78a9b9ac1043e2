//! SCIM filters (RFC 7644 §3.4.2.2): the parsed expression, its limits and error messages.
//! Tokenizing, parsing and evaluation against a resource live in the child modules.

mod evaluation;
mod lexer;
mod parser;

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

    /// Whether the resource (SCIM JSON as the client sees it) satisfies the filter.
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
    use super::*;

    fn error(filter: &str) -> String {
        match Filter::parse(filter) {
            Ok(parsed) => panic!("{filter:?} should be rejected, parsed as {parsed}"),
            Err(error) => error.to_string(),
        }
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
        // Parenthesised `and`s flatten into the top-level one.
        assert_eq!(
            value_of(
                r#"(active eq true and userName eq "a") and x pr"#,
                "userName"
            )
            .as_deref(),
            Some("a")
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
