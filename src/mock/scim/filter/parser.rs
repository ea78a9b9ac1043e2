//! Tokenizer and recursive-descent parser turning SCIM filter text into a filter expression.
//!
//! Precedence, loosest first: `or`, `and`, `not (...)` / parentheses / comparisons. Keywords
//! and operators are case-insensitive; whitespace between tokens is optional.

use serde_json::Value;

use super::{
    AttributePath, Expr, FilterError, Literal, MAX_FILTER_NESTING, Operator, is_attribute_name,
    strip_schema_prefix,
};

const END_OF_FILTER: &str = "the end of the filter";

#[derive(Debug, Clone, PartialEq)]
enum TokenKind {
    /// Attribute paths, operators, keywords and unquoted literals (`true`, `42`).
    Word(String),
    /// A double-quoted string, escapes already decoded.
    Text(String),
    OpenParenthesis,
    CloseParenthesis,
    OpenBracket,
    CloseBracket,
}

#[derive(Debug, Clone)]
struct Token {
    kind: TokenKind,
    /// 0-based character offset of the token's first character.
    position: usize,
}

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
        Ok(combine(operands, Expr::Or))
    }

    fn parse_and(&mut self) -> Result<Expr, FilterError> {
        let mut operands = vec![self.parse_term()?];
        while self.is_at_keyword("and")? {
            self.advance();
            operands.push(self.parse_term()?);
        }
        Ok(combine(operands, Expr::And))
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
                    parser.expect(&TokenKind::CloseParenthesis, ')')?;
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
                            parser.expect(&TokenKind::CloseParenthesis, ')')?;
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
                    parser.expect(&TokenKind::CloseBracket, ']')?;
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

    fn expect(&mut self, kind: &TokenKind, expected: char) -> Result<(), FilterError> {
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

fn combine(mut operands: Vec<Expr>, build: fn(Vec<Expr>) -> Expr) -> Expr {
    if operands.len() == 1
        && let Some(only) = operands.pop()
    {
        return only;
    }
    build(operands)
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

fn describe(token: Option<&Token>) -> String {
    let Some(token) = token else {
        return END_OF_FILTER.to_string();
    };
    match &token.kind {
        TokenKind::Word(word) => format!("'{word}'"),
        TokenKind::Text(_) => "a string".to_string(),
        TokenKind::OpenParenthesis => "'('".to_string(),
        TokenKind::CloseParenthesis => "')'".to_string(),
        TokenKind::OpenBracket => "'['".to_string(),
        TokenKind::CloseBracket => "']'".to_string(),
    }
}

fn is_word_character(character: char) -> bool {
    character.is_alphanumeric() || matches!(character, '_' | '-' | '.' | ':' | '$' | '+')
}

/// Splits the text into tokens, stopping at the first lexical error.
fn tokenize(characters: &[char]) -> (Vec<Token>, Option<FilterError>) {
    let mut tokens = Vec::new();
    let mut index = 0;
    while let Some(&character) = characters.get(index) {
        let position = index;
        let kind = match character {
            '(' => TokenKind::OpenParenthesis,
            ')' => TokenKind::CloseParenthesis,
            '[' => TokenKind::OpenBracket,
            ']' => TokenKind::CloseBracket,
            '"' => match read_string(characters, position) {
                Ok((text, next)) => {
                    tokens.push(Token {
                        kind: TokenKind::Text(text),
                        position,
                    });
                    index = next;
                    continue;
                }
                Err(error) => return (tokens, Some(error)),
            },
            _ if character.is_whitespace() => {
                index += 1;
                continue;
            }
            _ if is_word_character(character) => {
                while characters
                    .get(index)
                    .is_some_and(|&next| is_word_character(next))
                {
                    index += 1;
                }
                tokens.push(Token {
                    kind: TokenKind::Word(characters[position..index].iter().collect()),
                    position,
                });
                continue;
            }
            _ => {
                let error = FilterError::UnexpectedCharacter {
                    character,
                    position,
                };
                return (tokens, Some(error));
            }
        };
        tokens.push(Token { kind, position });
        index += 1;
    }
    (tokens, None)
}

/// Reads a JSON string whose opening quote is at `start`; returns it and the index after it.
fn read_string(characters: &[char], start: usize) -> Result<(String, usize), FilterError> {
    let unterminated = FilterError::UnterminatedString { position: start };
    let mut text = String::new();
    let mut index = start + 1;
    loop {
        let Some(&character) = characters.get(index) else {
            return Err(unterminated);
        };
        match character {
            '"' => return Ok((text, index + 1)),
            '\\' => {
                let escape_position = index;
                let invalid_escape = FilterError::InvalidEscape {
                    position: escape_position,
                };
                let Some(&escaped) = characters.get(index + 1) else {
                    return Err(unterminated);
                };
                index += 2;
                let decoded = match escaped {
                    '"' | '\\' | '/' => escaped,
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => {
                        let (decoded, next) =
                            read_unicode_escape(characters, index).ok_or(invalid_escape)?;
                        index = next;
                        decoded
                    }
                    _ => return Err(invalid_escape),
                };
                text.push(decoded);
            }
            _ => {
                text.push(character);
                index += 1;
            }
        }
    }
}

/// Decodes the `XXXX` of `\uXXXX` at `start`, joining a UTF-16 surrogate pair when needed.
fn read_unicode_escape(characters: &[char], start: usize) -> Option<(char, usize)> {
    let hex = |at: usize| -> Option<u32> {
        let digits = characters.get(at..at + 4)?;
        digits
            .iter()
            .try_fold(0, |code, digit| Some(code * 16 + digit.to_digit(16)?))
    };
    let code = hex(start)?;
    if (0xD800..0xDC00).contains(&code) {
        let is_pair =
            characters.get(start + 4) == Some(&'\\') && characters.get(start + 5) == Some(&'u');
        let low = hex(start + 6).filter(|low| is_pair && (0xDC00..0xE000).contains(low))?;
        let combined = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        return char::from_u32(combined).map(|decoded| (decoded, start + 10));
    }
    char::from_u32(code).map(|decoded| (decoded, start + 4))
}
