//! Makes server-supplied text safe to draw: strips terminal escape sequences and invisible or
//! layout-breaking characters, then measures and truncates by terminal columns.
//!
//! Every string that comes from the Databricks server passes through [`sanitize`] before it
//! reaches a widget, so a hostile or broken value cannot move the cursor, recolour the screen,
//! write the clipboard (OSC 52), ring the bell, hide text or push a table row onto two lines.
//! The output never contains C0/C1 controls, DEL or ESC. It is not an identity check: two
//! different names can still look alike after sanitizing, so compare ids, not display names.

use std::borrow::Cow;

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};
use unicode_width::UnicodeWidthStr;

/// Shown in place of a line break so a multi-line value stays on one row and the user can
/// still tell it had several lines.
const LINE_BREAK_MARK: &str = "⏎";
const REPLACEMENT: &str = "\u{FFFD}";
const ELLIPSIS: &str = "…";
const ZERO_WIDTH_JOINER: char = '\u{200D}';

/// Returns `text` without escape sequences, control characters, bidi overrides and invisible
/// format characters; tabs become one space and line breaks become `⏎`.
///
/// Borrows when nothing needs to change, which is the common case, so clean names cost one
/// scan and no allocation. The result is idempotent: sanitizing it again borrows.
///
/// Removed: ESC sequences (CSI, OSC, DCS/SOS/PM/APC strings up to BEL or ST, and two- or
/// three-byte `ESC x`), the 8-bit CSI U+009B with its parameters, every other C0/C1 control and
/// DEL, bidi embeddings/overrides/isolates/marks (the RTL letters stay, in their natural order),
/// zero-width characters (ZWJ survives only inside a joined grapheme such as 👩‍💻 or an Indic
/// conjunct) and all Unicode tag characters. Removing tags turns subdivision flags such as
/// 🏴󠁧󠁢󠁳󠁣󠁴󠁿 into a plain 🏴; that is a deliberate simplification because tags can also spell
/// invisible text. Noncharacters become U+FFFD. Private-use characters are kept.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    // Most server strings are plain ASCII; one byte scan settles them without decoding.
    if text.bytes().all(is_printable_ascii) {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut pos = 0;
    while pos < text.len() {
        let (edit, next) = classify(text, pos);
        match edit {
            Edit::Keep => {
                if let Some(out) = out.as_mut() {
                    out.push_str(&text[pos..next]);
                }
            }
            Edit::Drop => {
                out.get_or_insert_with(|| copy_clean_prefix(text, pos));
            }
            Edit::Replace(with) => out
                .get_or_insert_with(|| copy_clean_prefix(text, pos))
                .push_str(with),
        }
        pos = next;
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// Terminal columns that the sanitized `text` occupies.
///
/// Sums the width of each grapheme cluster, as ratatui's `Buffer::set_stringn` does when it
/// places cells, rather than `UnicodeWidthStr::width` on the whole string: that way the number
/// matches what lands on screen and agrees with [`truncate_to_width`].
pub fn display_width(text: &str) -> usize {
    let clean = sanitize(text);
    if clean.is_ascii() {
        // Sanitized ASCII is printable only, one column per byte.
        return clean.len();
    }
    clean.graphemes(true).map(grapheme_width).sum()
}

/// Cuts `text` at a grapheme boundary so it fits in `max_width` columns, ending with `…` when
/// something was cut. Never splits a wide character, a combining sequence or an emoji ZWJ
/// sequence; a wide character that would straddle the limit is dropped whole.
///
/// Expects sanitized text (see [`sanitize_to_width`]). Scanning stops once the limit is passed,
/// so a long description costs about `max_width` graphemes. With `max_width == 0` the result is
/// empty (no room even for the ellipsis).
pub fn truncate_to_width(text: &str, max_width: usize) -> Cow<'_, str> {
    // No character is wider than its UTF-8 encoding is long, so a string of at most
    // `max_width` bytes always fits (a test checks this for every char).
    if text.len() <= max_width {
        return Cow::Borrowed(text);
    }
    let truncated = |keep: usize| {
        if max_width == 0 {
            Cow::Borrowed("")
        } else {
            Cow::Owned(format!("{}{ELLIPSIS}", &text[..keep]))
        }
    };
    // Plain ASCII head: it is over the limit and printable ASCII never joins a grapheme with its
    // neighbour, so cut by bytes without segmenting.
    if text.as_bytes()[..=max_width]
        .iter()
        .copied()
        .all(is_printable_ascii)
    {
        return truncated(max_width.saturating_sub(1));
    }
    let mut used = 0;
    // Byte end of the longest prefix that still leaves one column for the ellipsis.
    let mut keep = 0;
    for (start, grapheme) in text.grapheme_indices(true) {
        used += grapheme_width(grapheme);
        if used > max_width {
            return truncated(keep);
        }
        if used < max_width {
            keep = start + grapheme.len();
        }
    }
    Cow::Borrowed(text)
}

/// Sanitizes `text` and truncates the result to `max_width` columns; the usual call for a
/// table cell.
pub fn sanitize_to_width(text: &str, max_width: usize) -> String {
    truncate_to_width(&sanitize(text), max_width).into_owned()
}

enum Edit {
    Keep,
    Drop,
    Replace(&'static str),
}

fn is_printable_ascii(byte: u8) -> bool {
    matches!(byte, 0x20..=0x7E)
}

fn copy_clean_prefix(text: &str, end: usize) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..end]);
    out
}

/// Decides what to do with the character or escape sequence starting at byte `pos` (always a
/// char boundary) and returns the byte index just after it.
fn classify(text: &str, pos: usize) -> (Edit, usize) {
    let bytes = text.as_bytes();
    match bytes[pos] {
        byte if is_printable_ascii(byte) => (Edit::Keep, pos + 1),
        0x1B => (Edit::Drop, escape_sequence_end(bytes, pos + 1)),
        b'\t' => (Edit::Replace(" "), pos + 1),
        // CR LF is one line break, not two.
        b'\r' if bytes.get(pos + 1) == Some(&b'\n') => (Edit::Replace(LINE_BREAK_MARK), pos + 2),
        b'\r' | b'\n' | 0x0B | 0x0C => (Edit::Replace(LINE_BREAK_MARK), pos + 1),
        0x00..=0x1F | 0x7F => (Edit::Drop, pos + 1),
        _ => {
            let c = text[pos..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            let next = pos + c.len_utf8();
            let edit = match c {
                '\u{85}' | '\u{2028}' | '\u{2029}' => Edit::Replace(LINE_BREAK_MARK),
                // 8-bit CSI: its parameters would otherwise show as stray text such as "31m".
                '\u{9B}' => return (Edit::Drop, csi_end(bytes, next)),
                // Other 8-bit introducers (OSC, DCS, ...) are dropped alone, without swallowing
                // a string: mis-decoded Latin-1 text is full of C1 bytes, and with no C1 or ESC
                // left the would-be payload is inert text.
                '\u{80}'..='\u{9F}' => Edit::Drop,
                ZERO_WIDTH_JOINER if is_joining_zwj(text, next) => Edit::Keep,
                ZERO_WIDTH_JOINER => Edit::Drop,
                c if is_invisible_format(c) => Edit::Drop,
                c if is_noncharacter(c) => Edit::Replace(REPLACEMENT),
                _ => Edit::Keep,
            };
            (edit, next)
        }
    }
}

/// End of the sequence whose ESC sits just before `start`. Only ASCII bytes are consumed
/// outside strings, so every returned index is a char boundary.
fn escape_sequence_end(bytes: &[u8], start: usize) -> usize {
    match bytes.get(start) {
        Some(b'[') => csi_end(bytes, start + 1),
        Some(b']' | b'P' | b'X' | b'^' | b'_') => control_string_end(bytes, start + 1),
        // nF sequences such as `ESC ( B` (character set selection): intermediates, then a final.
        Some(0x20..=0x2F) => {
            let mut end = start;
            while matches!(bytes.get(end), Some(0x20..=0x2F)) {
                end += 1;
            }
            end + usize::from(matches!(bytes.get(end), Some(0x30..=0x7E)))
        }
        Some(0x30..=0x7E) => start + 1,
        // ESC before a control or a non-ASCII char: drop the ESC and judge the next char alone.
        _ => start,
    }
}

/// End of CSI parameters, intermediates and final byte. A malformed sequence stops at the first
/// unexpected byte, which is then judged on its own; nothing of it can act as a sequence any more
/// because the introducer is gone.
fn csi_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while matches!(bytes.get(end), Some(0x20..=0x3F)) {
        end += 1;
    }
    end + usize::from(matches!(bytes.get(end), Some(0x40..=0x7E)))
}

/// End of an OSC/DCS/SOS/PM/APC string: BEL, ST (`ESC \` or U+009C), or CAN/SUB, which abort it
/// in a terminal. A different ESC also ends it and starts the next sequence. An unterminated
/// string runs to the end of the value, as a terminal would swallow it too.
fn control_string_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len() {
        match bytes[end] {
            0x07 | 0x18 | 0x1A => return end + 1,
            0x1B if bytes.get(end + 1) == Some(&b'\\') => return end + 2,
            0x1B => return end,
            0xC2 if bytes.get(end + 1) == Some(&0x9C) => return end + 2,
            _ => end += 1,
        }
    }
    bytes.len()
}

/// A ZWJ is kept only when the next character joins its grapheme cluster (emoji ZWJ sequences,
/// Indic conjuncts), where it changes the glyph rather than hiding anything. A following char
/// that is itself removed would leave the ZWJ dangling, so that case drops it too.
fn is_joining_zwj(text: &str, after: usize) -> bool {
    let Some(next) = text[after..].chars().next() else {
        return false;
    };
    if next == ZERO_WIDTH_JOINER || is_invisible_format(next) {
        return false;
    }
    let mut cursor = GraphemeCursor::new(after, text.len(), true);
    matches!(cursor.is_boundary(text, 0), Ok(false))
}

/// Characters that draw nothing yet can hide text, reorder the surrounding layout (bidi
/// controls; RTL letters display fine without them) or that terminals and unicode-width
/// disagree on. ZWJ is handled separately.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'                        // soft hyphen
        | '\u{61C}'                     // Arabic letter mark
        | '\u{180E}'                    // Mongolian vowel separator
        | '\u{200B}'..='\u{200C}'       // zero-width space, non-joiner
        | '\u{200E}'..='\u{200F}'       // LRM, RLM
        | '\u{202A}'..='\u{202E}'       // bidi embeddings and overrides
        | '\u{2060}'..='\u{206F}'       // word joiner, invisible operators, isolates
        | '\u{FEFF}'                    // zero-width no-break space / BOM
        | '\u{FFF9}'..='\u{FFFB}'       // interlinear annotation
        | '\u{1BCA0}'..='\u{1BCA3}'     // shorthand format controls
        | '\u{1D173}'..='\u{1D17A}'     // musical format controls
        | '\u{E0000}'..='\u{E007F}' // tags
    )
}

/// Noncharacters are never meant for interchange and fonts draw them unpredictably. Unpaired
/// surrogates cannot occur: the value is already a valid `&str`.
fn is_noncharacter(c: char) -> bool {
    matches!(c, '\u{FDD0}'..='\u{FDEF}') || (u32::from(c) & 0xFFFE) == 0xFFFE
}

/// Width of one grapheme as ratatui lays it out: unicode-width, plus one column for each
/// halfwidth (han)dakuten. ratatui-core 0.1's `cell_width` adds that column because older
/// unicode-width called these marks zero-width; unicode-width 0.2.3 already counts them, so
/// ratatui reserves one cell too many. Matching ratatui keeps our truncation consistent with
/// the cells it fills; drop this when ratatui drops its correction.
fn grapheme_width(grapheme: &str) -> usize {
    grapheme.width()
        + grapheme
            .chars()
            .filter(|c| matches!(c, '\u{FF9E}' | '\u{FF9F}'))
            .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> String {
        sanitize(text).into_owned()
    }

    #[test]
    fn clean_ascii_is_borrowed() {
        assert!(matches!(sanitize("alice@example.com"), Cow::Borrowed(_)));
        assert!(matches!(sanitize(""), Cow::Borrowed(_)));
    }

    #[test]
    fn clean_unicode_is_borrowed() {
        for text in [
            "Zoë Ødegård",
            "山田太郎",
            "مرحبا",
            "שלום",
            "👩\u{200D}💻 dev",
            "🇩🇪",
            "e\u{301}",
        ] {
            assert!(matches!(sanitize(text), Cow::Borrowed(_)), "{text:?}");
        }
    }

    #[test]
    fn sgr_colour_is_removed() {
        assert_eq!(clean("\x1b[31;1mred\x1b[0m plain"), "red plain");
        assert_eq!(clean("\x1b[38;2;255;0;0mx\x1b[m"), "x");
    }

    #[test]
    fn cursor_movement_and_clear_screen_are_removed() {
        assert_eq!(clean("a\x1b[2Jb\x1b[H\x1b[10;20Hc\x1b[3A\x1b[?25l"), "abc");
    }

    #[test]
    fn osc_52_clipboard_write_is_removed() {
        assert_eq!(clean("ok\x1b]52;c;cm0gLXJmIC8K\x07done"), "okdone");
        assert_eq!(clean("ok\x1b]52;c;cm0gLXJmIC8K\x1b\\done"), "okdone");
    }

    #[test]
    fn osc_8_hyperlink_keeps_only_the_label() {
        let link = "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\";
        assert_eq!(clean(link), "click me");
    }

    #[test]
    fn window_title_is_removed() {
        assert_eq!(clean("\x1b]0;pwned\x07name"), "name");
        assert_eq!(clean("\x1b]2;pwned\u{9C}name"), "name");
    }

    #[test]
    fn dcs_sos_pm_apc_strings_are_removed() {
        assert_eq!(clean("a\x1bP1$r0m\x1b\\b"), "ab");
        assert_eq!(
            clean("a\x1bXsos\x1b\\b\x1b^pm\x1b\\c\x1b_apc\x1b\\d"),
            "abcd"
        );
    }

    #[test]
    fn unterminated_string_runs_to_the_end() {
        assert_eq!(clean("name\x1b]0;never ends"), "name");
    }

    #[test]
    fn escape_inside_string_starts_a_new_sequence() {
        assert_eq!(clean("\x1b]0;t\x1b[31mred"), "red");
    }

    #[test]
    fn two_and_three_byte_escapes_are_removed() {
        assert_eq!(clean("a\x1bcb\x1b7c\x1b(Bd\x1b#8e"), "abcde");
        assert_eq!(clean("trailing\x1b"), "trailing");
        assert_eq!(clean("\x1b\u{e9}"), "\u{e9}");
    }

    #[test]
    fn eight_bit_csi_and_its_parameters_are_removed() {
        assert_eq!(clean("a\u{9B}31mb\u{9B}2J"), "ab");
    }

    #[test]
    fn other_c1_controls_are_removed() {
        assert_eq!(clean("a\u{80}b\u{9D}0;t\u{9C}c\u{9F}"), "ab0;tc");
    }

    #[test]
    fn bell_backspace_nul_and_del_are_removed() {
        assert_eq!(clean("a\x07b\x08c\0d\x7fe\x1f"), "abcde");
    }

    #[test]
    fn line_breaks_become_a_visible_mark() {
        assert_eq!(clean("one\ntwo\r\nthree\rfour"), "one⏎two⏎three⏎four");
        assert_eq!(clean("a\x0bb\x0cc\u{85}d\u{2028}e\u{2029}f"), "a⏎b⏎c⏎d⏎e⏎f");
        assert_eq!(clean("\n\n"), "⏎⏎");
    }

    #[test]
    fn tab_becomes_one_space() {
        assert_eq!(clean("a\tb\t\tc"), "a b  c");
    }

    #[test]
    fn bidi_controls_are_removed_but_rtl_letters_kept() {
        assert_eq!(clean("file\u{202E}gpj.exe"), "filegpj.exe");
        assert_eq!(
            clean("\u{2067}مرحبا\u{2069} \u{200F}שלום\u{200E}"),
            "مرحبا שלום"
        );
        assert_eq!(
            clean("\u{202A}\u{202B}\u{202C}\u{202D}\u{2066}\u{2068}\u{61C}x"),
            "x"
        );
    }

    #[test]
    fn zero_width_characters_are_removed() {
        assert_eq!(clean("ad\u{200B}min"), "admin");
        assert_eq!(
            clean("\u{FEFF}a\u{2060}b\u{200C}c\u{AD}d\u{200D}e"),
            "abcde"
        );
    }

    #[test]
    fn zwj_emoji_sequences_stay_intact() {
        for text in [
            "👩\u{200D}💻",
            "👨\u{200D}👩\u{200D}👧\u{200D}👦",
            "🏳\u{FE0F}\u{200D}🌈",
        ] {
            assert_eq!(clean(text), text);
            assert_eq!(text.graphemes(true).count(), 1);
        }
        assert_eq!(clean("👩\u{200D}"), "👩");
        assert_eq!(clean("👩\u{200D}\u{200B}💻"), "👩💻");
    }

    #[test]
    fn flags_and_skin_tones_are_kept() {
        assert_eq!(clean("🇩🇪 🇯🇵 👍🏽"), "🇩🇪 🇯🇵 👍🏽");
    }

    #[test]
    fn tag_characters_are_removed() {
        let scotland = "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        assert_eq!(clean(scotland), "🏴");
        assert_eq!(clean("ok\u{E0001}\u{E0069}\u{E0067}"), "ok");
    }

    #[test]
    fn combining_marks_and_cjk_are_kept() {
        assert_eq!(clean("e\u{301}a\u{308}"), "e\u{301}a\u{308}");
        assert_eq!(clean("数据\t砖"), "数据 砖");
    }

    #[test]
    fn noncharacters_are_replaced_and_private_use_kept() {
        assert_eq!(
            clean("a\u{FDD0}b\u{FFFF}c\u{10FFFE}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert!(matches!(sanitize("\u{E000}\u{F8FF}"), Cow::Borrowed(_)));
    }

    #[test]
    fn display_width_counts_columns() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("数据砖"), 6);
        assert_eq!(display_width("👩\u{200D}💻"), 2);
        assert_eq!(display_width("🇩🇪"), 2);
        assert_eq!(display_width("e\u{301}"), 1);
        assert_eq!(display_width("\x1b[31mab\x1b[0m\n"), 3);
        // ratatui-core reserves a third cell for the halfwidth dakuten; see `grapheme_width`.
        assert_eq!(display_width("ｶﾞ"), 3);
    }

    #[test]
    fn short_text_is_not_truncated() {
        assert!(matches!(truncate_to_width("abc", 3), Cow::Borrowed("abc")));
        assert!(matches!(truncate_to_width("数据", 4), Cow::Borrowed(_)));
        assert!(matches!(truncate_to_width("数据", 5), Cow::Borrowed(_)));
    }

    #[test]
    fn ascii_truncation_appends_ellipsis() {
        assert_eq!(truncate_to_width("abcdef", 4), "abc…");
        assert_eq!(truncate_to_width("abcdef", 5), "abcd…");
        assert_eq!(truncate_to_width("abcdef", 6), "abcdef");
    }

    #[test]
    fn wide_characters_are_never_split() {
        // "ab" + three CJK chars is 8 columns.
        assert_eq!(truncate_to_width("ab数据砖", 5), "ab数…");
        assert_eq!(truncate_to_width("ab数据砖", 4), "ab…");
        assert_eq!(truncate_to_width("数据砖", 2), "…");
        for max_width in 0..10 {
            assert!(display_width(&truncate_to_width("ab数据砖x", max_width)) <= max_width);
        }
    }

    #[test]
    fn emoji_sequences_and_combining_marks_are_not_split() {
        let coder = "👩\u{200D}💻";
        assert_eq!(
            truncate_to_width(&format!("{coder}{coder}"), 3),
            format!("{coder}…")
        );
        assert_eq!(
            truncate_to_width("e\u{301}e\u{301}e\u{301}", 2),
            "e\u{301}…"
        );
        assert_eq!(truncate_to_width("🇩🇪🇯🇵", 3), "🇩🇪…");
    }

    #[test]
    fn zero_and_one_column() {
        assert_eq!(truncate_to_width("abc", 0), "");
        assert_eq!(truncate_to_width("", 0), "");
        assert_eq!(truncate_to_width("abc", 1), "…");
        assert_eq!(truncate_to_width("a", 1), "a");
        assert_eq!(truncate_to_width("数", 1), "…");
        assert_eq!(truncate_to_width("数据", 1), "…");
    }

    #[test]
    fn long_text_is_cut_to_forty_columns() {
        let ascii = "x".repeat(10 * 1024);
        assert_eq!(
            truncate_to_width(&ascii, 40),
            format!("{}…", "x".repeat(39))
        );
        let mixed = "数据 e\u{301} 👩\u{200D}💻 ".repeat(700);
        assert!(mixed.len() > 10 * 1024);
        let cut = truncate_to_width(&mixed, 40);
        assert!(cut.ends_with('…'));
        assert!(display_width(&cut) <= 40 && display_width(&cut) >= 38);
    }

    #[test]
    fn sanitize_to_width_cleans_then_cuts() {
        assert_eq!(sanitize_to_width("\x1b[31mred line\nnext", 9), "red line…");
        assert_eq!(sanitize_to_width("ok", 9), "ok");
    }

    #[test]
    fn no_char_is_wider_than_its_encoding() {
        // truncate_to_width returns early when the byte length fits; this is what makes it sound.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            assert!(
                grapheme_width(c.encode_utf8(&mut buf)) <= c.len_utf8(),
                "{c:?}"
            );
        }
    }

    /// Fragments that exercise sequences, joins and every removal rule.
    const FRAGMENTS: &[&str] = &[
        "\x1b",
        "[",
        "]",
        "\\",
        "P",
        "m",
        "31",
        ";",
        "\x07",
        "\u{9B}",
        "\u{9C}",
        "\u{9D}",
        "\u{85}",
        "\r",
        "\n",
        "\t",
        "\u{202E}",
        "\u{2067}",
        "\u{200B}",
        "\u{200D}",
        "\u{FE0F}",
        "👩",
        "💻",
        "🇩",
        "\u{E0067}",
        "\u{E007F}",
        "数",
        "\u{301}",
        "\u{FDD0}",
        "\u{2028}",
        "ب",
        "\u{94D}",
        "\u{915}",
        "a",
        " ",
        "\u{7F}",
        "\0",
    ];

    fn assert_safe(input: &str) {
        let out = sanitize(input);
        for c in out.chars() {
            let forbidden = (c as u32) < 0x20
                || ('\u{7F}'..='\u{9F}').contains(&c)
                || ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
                || ('\u{E0000}'..='\u{E007F}').contains(&c)
                || matches!(c, '\u{200B}' | '\u{200C}' | '\u{FEFF}');
            assert!(!forbidden, "{c:?} survived in {out:?} from {input:?}");
        }
        assert!(
            matches!(sanitize(&out), Cow::Borrowed(again) if again == out),
            "not idempotent: {input:?} -> {out:?}"
        );
        for max_width in [0, 1, 2, 5, 13] {
            assert!(display_width(&truncate_to_width(&out, max_width)) <= max_width);
        }
    }

    #[test]
    fn random_input_never_leaks_controls_and_sanitize_is_idempotent() {
        // A fixed-seed LCG (Knuth's MMIX constants) keeps failures reproducible without `rand`.
        let mut state: u64 = 0x5EED_DB7C;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for _ in 0..400 {
            let len = next() % 48;
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            assert_safe(&String::from_utf8_lossy(&bytes));
            let soup: String = (0..len)
                .map(|_| FRAGMENTS[next() % FRAGMENTS.len()])
                .collect();
            assert_safe(&soup);
        }
    }
}
