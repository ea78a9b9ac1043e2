//! Drawing a state into a `TestBackend` and snapshotting it at the two sizes we care about.

use dbx_console::app::keymap::Keymap;
use dbx_console::app::state::AppState;
use dbx_console::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;

/// The smallest terminal we design for, and a large one.
pub const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

pub fn draw(state: &AppState, width: u16, height: u16) -> Terminal<TestBackend> {
    draw_with(state, &Keymap::defaults(), width, height)
}

/// `draw` with another keymap (read-only mode drops the mutating keys).
pub fn draw_with(
    state: &AppState,
    keymap: &Keymap,
    width: u16,
    height: u16,
) -> Terminal<TestBackend> {
    let mut terminal =
        Terminal::new(TestBackend::new(width, height)).expect("a test terminal never fails");
    terminal
        .draw(|frame| dbx_console::ui::render(frame, state, keymap, &Theme::plain()))
        .expect("drawing into a test terminal never fails");
    terminal
}

/// Every line of the screen as text (wide characters once, not padded).
pub fn screen_lines(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

/// The lines drawn in reversed video: the selection of the plain theme, which text snapshots
/// cannot show.
pub fn reversed_lines(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    let lines = screen_lines(terminal);
    (0..buffer.area.height)
        .filter(|y| {
            (0..buffer.area.width).any(|x| buffer[(x, *y)].modifier.contains(Modifier::REVERSED))
        })
        .map(|y| lines[usize::from(y)].clone())
        .collect()
}

/// The open detail's lines as plain text (what the pane would draw, uncut).
pub fn detail_lines(state: &AppState) -> Vec<String> {
    state
        .detail
        .as_ref()
        .map(|detail| detail.lines.iter().map(|line| line.plain()).collect())
        .unwrap_or_default()
}

/// Fails unless every one of `expected` is on the screen drawn at `width`×`height`.
pub fn assert_on_screen(state: &AppState, (width, height): (u16, u16), expected: &[&str]) {
    let screen = screen_lines(&draw(state, width, height)).join("\n");
    for text in expected {
        assert!(
            screen.contains(text),
            "{text:?} at {width}x{height}:\n{screen}"
        );
    }
}

/// Snapshots `state` at every size as `<name>_<width>x<height>`; `description` says what the
/// reviewer should see.
pub fn snapshot(name: &str, description: &str, state: &AppState) {
    snapshot_with(name, description, state, &Keymap::defaults());
}

/// `snapshot` with another keymap.
pub fn snapshot_with(name: &str, description: &str, state: &AppState, keymap: &Keymap) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(description);
    settings.bind(|| {
        for (width, height) in SIZES {
            let terminal = draw_with(state, keymap, width, height);
            insta::assert_snapshot!(format!("{name}_{width}x{height}"), terminal.backend());
        }
    });
}
