//! Recursive-descent parser turning SCIM filter tokens into a filter expression.
//!
//! Precedence, loosest first: `or`, `and`, `not (...)` / parentheses / comparisons. Keywords
//! and operators are case-insensitive; whitespace between tokens is optional.

use serde_json::Value;

use super::lexer::{END_OF_FILTER, Token, TokenKind, describe, tokenize};
use super::{
    AttributePath, Expr, FilterError, Literal, MAX_FILTER_NESTING, Operator, is_attribute_name,
    strip_schema_prefix,
};

pub(super) fn parse(text: &str) -> Result<Expr, FilterError> {
    if text.trim().is_empty() {
        return Err(FilterError::Empty);
    }
    let mut parser = Parser::new(text);
    let expression = parser.parse_or()?;
    match parser.peek()? {
        None => Ok(expression),
        Some(token) => Err(FilterError::ExpectedLogicalOperator {
            found: describe(Some(token)),
            position: token.position,
        }),
    }
}

struct Parser {
    tokens: Vec<Token>,
    /// A tokenizer error is reported only when the parser reaches it, so that errors come out
    /// in the order they appear in the text.
    pending_error: Option<FilterError>,
    next: usize,
    end: usize,
    depth: usize,
    is_in_value_filter: bool,
}

impl Parser {
    fn new(text: &str) -> Parser {
        let characters: Vec<char> = text.chars().collect();
        let (tokens, pending_error) = tokenize(&characters);
        Parser {
            tokens,
            pending_error,
            next: 0,
            end: characters.len(),
            depth: 0,
            is_in_value_filter: false,
        }
    }

    fn peek(&self) -> Result<Option<&Token>, FilterError> {
        match (self.tokens.get(self.next), &self.pending_error) {
            (Some(token), _) => Ok(Some(token)),
            (None, Some(error)) => Err(error.clone()),
            (None, None) => Ok(None),
        }
    }

    fn advance(&mut self) {
        self.next += 1;
    }

    fn is_at_keyword(&self, keyword: &str) -> Result<bool, FilterError> {
        Ok(matches!(
            self.peek()?,
            Some(Token { kind: TokenKind::Word(word), .. }) if word.eq_ignore_ascii_case(keyword)
        ))
    }

    fn parse_or(&mut self) -> Result<Expr, FilterError> {
        let mut operands = vec![self.parse_and()?];
        while self.is_at_keyword("or")? {
            self.advance();
            operands.push(self.parse_and()?);
        }
        Ok(combine(operands, true))
    }

    fn parse_and(&mut self) -> Result<Expr, FilterError> {
        let mut operands = vec![self.parse_term()?];
        while self.is_at_keyword("and")? {
            self.advance();
            operands.push(self.parse_term()?);
        }
        Ok(combine(operands, false))
    }

    fn parse_term(&mut self) -> Result<Expr, FilterError> {
        let Some(token) = self.peek()?.cloned() else {
            return Err(FilterError::ExpectedAttribute {
                found: END_OF_FILTER.to_string(),
                position: self.end,
            });
        };
        match token.kind {
            TokenKind::OpenParenthesis => {
                self.advance();
                self.nested(token.position, |parser| {
                    let inner = parser.parse_or()?;
                    parser.consume_closing(&TokenKind::CloseParenthesis, ')')?;
                    Ok(inner)
                })
            }
            TokenKind::Word(word) if word.eq_ignore_ascii_case("not") => {
                self.advance();
                match self.peek()? {
                    Some(Token {
                        kind: TokenKind::OpenParenthesis,
                        position,
                    }) => {
                        let position = *position;
                        self.advance();
                        self.nested(position, |parser| {
                            let inner = parser.parse_or()?;
                            parser.consume_closing(&TokenKind::CloseParenthesis, ')')?;
                            Ok(Expr::Not(Box::new(inner)))
                        })
                    }
                    other => Err(FilterError::ExpectedParenthesisAfterNot {
                        position: other.map_or(self.end, |token| token.position),
                    }),
                }
            }
            TokenKind::Word(word) if is_logical_keyword(&word) => {
                Err(FilterError::ExpectedAttribute {
                    found: format!("'{word}'"),
                    position: token.position,
                })
            }
            TokenKind::Word(word) => {
                self.advance();
                self.parse_attribute_expression(word, token.position)
            }
            _ => Err(FilterError::ExpectedAttribute {
                found: describe(Some(&token)),
                position: token.position,
            }),
        }
    }

    /// What follows an attribute path: `pr`, an operator and a value, or `[value filter]`.
    fn parse_attribute_expression(
        &mut self,
        attribute_text: String,
        position: usize,
    ) -> Result<Expr, FilterError> {
        let path = parse_attribute_path(&attribute_text, position)?;
        let Some(token) = self.peek()?.cloned() else {
            return Err(FilterError::ExpectedOperator {
                attribute: attribute_text,
                position: self.end,
            });
        };
        match token.kind {
            TokenKind::OpenBracket => {
                // RFC 7644's grammar has no value filter inside another one.
                if self.is_in_value_filter {
                    return Err(FilterError::NestedValueFilter {
                        position: token.position,
                    });
                }
                if path.sub_attribute.is_some() {
                    return Err(FilterError::InvalidAttribute {
                        attribute: attribute_text,
                        position,
                    });
                }
                self.advance();
                self.nested(token.position, |parser| {
                    parser.is_in_value_filter = true;
                    let inner = parser.parse_or();
                    parser.is_in_value_filter = false;
                    let inner = inner?;
                    parser.consume_closing(&TokenKind::CloseBracket, ']')?;
                    Ok(Expr::ValuePath {
                        attribute: path.attribute,
                        filter: Box::new(inner),
                    })
                })
            }
            TokenKind::Word(word) if word.eq_ignore_ascii_case("pr") => {
                self.advance();
                Ok(Expr::Present(path))
            }
            TokenKind::Word(word) if !is_logical_keyword(&word) => {
                let Some(operator) = Operator::from_keyword(&word) else {
                    return Err(FilterError::UnknownOperator {
                        operator: word,
                        position: token.position,
                    });
                };
                self.advance();
                let value = self.parse_value(&word, operator)?;
                Ok(Expr::Compare {
                    path,
                    operator,
                    value,
                })
            }
            _ => Err(FilterError::ExpectedOperator {
                attribute: attribute_text,
                position: token.position,
            }),
        }
    }

    fn parse_value(
        &mut self,
        operator_text: &str,
        operator: Operator,
    ) -> Result<Literal, FilterError> {
        let Some(token) = self.peek()?.cloned() else {
            return Err(FilterError::ExpectedValue {
                operator: operator_text.to_string(),
                found: END_OF_FILTER.to_string(),
                position: self.end,
            });
        };
        let value = match token.kind {
            TokenKind::Text(text) => Literal::String {
                folded: text.to_lowercase(),
                text,
            },
            TokenKind::Word(word) => {
                literal_from_word(&word).ok_or_else(|| FilterError::InvalidValue {
                    value: word.clone(),
                    position: token.position,
                })?
            }
            _ => {
                return Err(FilterError::ExpectedValue {
                    operator: operator_text.to_string(),
                    found: describe(Some(&token)),
                    position: token.position,
                });
            }
        };
        // RFC 7644: substring operators need strings, ordering operators reject booleans.
        let is_comparable = match operator {
            Operator::Contains | Operator::StartsWith | Operator::EndsWith => {
                matches!(value, Literal::String { .. })
            }
            Operator::GreaterThan
            | Operator::GreaterOrEqual
            | Operator::LessThan
            | Operator::LessOrEqual => {
                matches!(value, Literal::String { .. } | Literal::Number(_))
            }
            Operator::Equal | Operator::NotEqual => true,
        };
        if !is_comparable {
            return Err(FilterError::InvalidComparison {
                operator: operator_text.to_string(),
                value: value.to_string(),
                position: token.position,
            });
        }
        self.advance();
        Ok(value)
    }

    fn consume_closing(&mut self, kind: &TokenKind, expected: char) -> Result<(), FilterError> {
        match self.peek()? {
            Some(token) if token.kind == *kind => {
                self.advance();
                Ok(())
            }
            other => Err(FilterError::Unclosed {
                expected,
                found: describe(other),
                position: other.map_or(self.end, |token| token.position),
            }),
        }
    }

    fn nested(
        &mut self,
        position: usize,
        parse_inner: impl FnOnce(&mut Parser) -> Result<Expr, FilterError>,
    ) -> Result<Expr, FilterError> {
        if self.depth >= MAX_FILTER_NESTING {
            return Err(FilterError::TooDeep {
                max: MAX_FILTER_NESTING,
                position,
            });
        }
        self.depth += 1;
        let result = parse_inner(self);
        self.depth -= 1;
        result
    }
}

/// Joins operands with `or` (or `and`), splicing in operands that already are that operator
/// (from parentheses), so equivalent filters get one flat shape.
fn combine(operands: Vec<Expr>, is_or: bool) -> Expr {
    let mut flat = Vec::with_capacity(operands.len());
    for operand in operands {
        match (operand, is_or) {
            (Expr::Or(inner), true) | (Expr::And(inner), false) => flat.extend(inner),
            (other, _) => flat.push(other),
        }
    }
    if flat.len() == 1
        && let Some(only) = flat.pop()
    {
        return only;
    }
    if is_or {
        Expr::Or(flat)
    } else {
        Expr::And(flat)
    }
}

fn is_logical_keyword(word: &str) -> bool {
    ["and", "or", "not"]
        .iter()
        .any(|keyword| word.eq_ignore_ascii_case(keyword))
}

fn parse_attribute_path(text: &str, position: usize) -> Result<AttributePath, FilterError> {
    let path = strip_schema_prefix(text);
    let (attribute, sub_attribute) = match path.split_once('.') {
        Some((attribute, sub)) => (attribute, Some(sub)),
        None => (path, None),
    };
    if !is_attribute_name(attribute) || sub_attribute.is_some_and(|sub| !is_attribute_name(sub)) {
        return Err(FilterError::InvalidAttribute {
            attribute: text.to_string(),
            position,
        });
    }
    Ok(AttributePath {
        attribute: attribute.to_string(),
        sub_attribute: sub_attribute.map(str::to_string),
    })
}

fn literal_from_word(word: &str) -> Option<Literal> {
    match word.to_ascii_lowercase().as_str() {
        "true" => Some(Literal::Boolean(true)),
        "false" => Some(Literal::Boolean(false)),
        "null" => Some(Literal::Null),
        // serde_json enforces JSON number syntax (no `+1`, `.5`, `inf`) and rejects overflow.
        _ => match serde_json::from_str::<Value>(word) {
            Ok(Value::Number(number)) => number.as_f64().map(Literal::Number),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Map;

    use super::super::Filter;

    fn error(filter: &str) -> String {
        match Filter::parse(filter) {
            Ok(parsed) => panic!("{filter:?} should be rejected, parsed as {parsed}"),
            Err(error) => error.to_string(),
        }
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
            let _ = Filter::parse(text).map(|filter| filter.matches(&Map::new()));
        }
    }
}
