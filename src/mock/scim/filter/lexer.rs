//! Splits SCIM filter text into tokens: words (attribute paths, operators, keywords, bare
//! literals), decoded JSON strings, parentheses and brackets.

use super::FilterError;

pub(super) const END_OF_FILTER: &str = "the end of the filter";

#[derive(Debug, Clone, PartialEq)]
pub(super) enum TokenKind {
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
pub(super) struct Token {
    pub(super) kind: TokenKind,
    /// 0-based character offset of the token's first character.
    pub(super) position: usize,
}

fn is_word_character(character: char) -> bool {
    character.is_alphanumeric() || matches!(character, '_' | '-' | '.' | ':' | '$' | '+')
}

/// Splits the text into tokens, stopping at the first lexical error.
pub(super) fn tokenize(characters: &[char]) -> (Vec<Token>, Option<FilterError>) {
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

/// How a token is named in error messages.
pub(super) fn describe(token: Option<&Token>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> (Vec<(TokenKind, usize)>, Option<FilterError>) {
        let characters: Vec<char> = text.chars().collect();
        let (tokens, error) = tokenize(&characters);
        let tokens = tokens
            .into_iter()
            .map(|token| (token.kind, token.position))
            .collect();
        (tokens, error)
    }

    fn word(text: &str) -> TokenKind {
        TokenKind::Word(text.to_string())
    }

    #[test]
    fn tokens_carry_character_positions_not_byte_offsets() {
        let (found, error) = tokens("émails[type eq\"wörk\"] or(x pr)");
        assert_eq!(error, None);
        assert_eq!(
            found,
            [
                (word("émails"), 0),
                (TokenKind::OpenBracket, 6),
                (word("type"), 7),
                (word("eq"), 12),
                (TokenKind::Text("wörk".into()), 14),
                (TokenKind::CloseBracket, 20),
                (word("or"), 22),
                (TokenKind::OpenParenthesis, 24),
                (word("x"), 25),
                (word("pr"), 27),
                (TokenKind::CloseParenthesis, 29),
            ]
        );
    }

    #[test]
    fn strings_decode_json_escapes_and_surrogate_pairs() {
        let (found, error) = tokens(r#""a\"b\\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00""#);
        assert_eq!(error, None);
        let expected = "a\"b\\ / \u{8}\u{c}\n\r\t \u{e9} \u{1F600}";
        assert_eq!(found, [(TokenKind::Text(expected.into()), 0)]);
    }

    #[test]
    fn lexical_errors_stop_tokenizing_and_keep_earlier_tokens() {
        let (found, error) = tokens("a eq \"x");
        assert_eq!(found.len(), 2);
        assert_eq!(error, Some(FilterError::UnterminatedString { position: 5 }));
        let (_, error) = tokens(r#""\ude00""#);
        assert_eq!(error, Some(FilterError::InvalidEscape { position: 1 }));
        let (_, error) = tokens(r#""\ud83d\u0041""#);
        assert_eq!(error, Some(FilterError::InvalidEscape { position: 1 }));
        let (_, error) = tokens("a & b");
        assert_eq!(
            error,
            Some(FilterError::UnexpectedCharacter {
                character: '&',
                position: 2
            })
        );
    }
}
