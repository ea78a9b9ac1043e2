//! The terminal the loop runs in, beyond drawing: its input, which must stop while another
//! program has the terminal, and handing the terminal to the admin's editor. A trait, so the
//! loop runs in tests with scripted input and a fake editor.

use std::io::{self, Write};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures_util::Stream;

use super::msg::{EditorOutcome, EditorRequest};

pub trait Host {
    type Input: Stream<Item = io::Result<Event>> + Unpin;

    /// Starts reading the terminal's input; again after an editor, as the loop drops its
    /// input while one runs.
    fn input(&mut self) -> Self::Input;

    /// Gives the terminal to the editor on `path` until it exits. `Ok(Err(reason))`: the
    /// editor did not start or failed; `Err`: the terminal could not be taken back.
    fn run_editor(&mut self, path: &Path) -> io::Result<Result<(), String>>;
}

/// The real terminal, through crossterm.
pub struct TerminalHost;

impl Host for TerminalHost {
    type Input = EventStream;

    fn input(&mut self) -> EventStream {
        EventStream::new()
    }

    fn run_editor(&mut self, path: &Path) -> io::Result<Result<(), String>> {
        use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
        let command = editor_command(|name| std::env::var(name).ok());
        // Out of raw mode, ctrl+c is a signal to everything on the terminal: it should stop
        // the editor (`code --wait`), not end the console and leave the file behind. A tokio
        // handler replaces the default action; it stays, harmlessly, as in raw mode ctrl+c
        // is a key.
        #[cfg(unix)]
        let _interrupts =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok();
        discard_typed_ahead()?;
        let mut stdout = io::stdout();
        crossterm::terminal::disable_raw_mode()?;
        crossterm::execute!(stdout, LeaveAlternateScreen, crossterm::cursor::Show)?;
        stdout.flush()?;
        let result = spawn_editor(&command, path);
        crossterm::execute!(stdout, EnterAlternateScreen, crossterm::cursor::Hide)?;
        crossterm::terminal::enable_raw_mode()?;
        Ok(result)
    }
}

/// Events crossterm has already read but not handed out (keys typed right after the one
/// that opened the editor) were meant for the console: drop them, or they would replay into
/// the form once the editor is done.
fn discard_typed_ahead() -> io::Result<()> {
    while crossterm::event::poll(Duration::ZERO)? {
        crossterm::event::read()?;
    }
    Ok(())
}

/// `$VISUAL`, else `$EDITOR`, else `vi`, as git and most Unix tools choose.
pub fn editor_command(var: impl Fn(&str) -> Option<String>) -> String {
    ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(var)
        .find(|value| !value.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// Runs `command` on `path` with the real terminal and waits for it.
fn spawn_editor(command: &str, path: &Path) -> Result<(), String> {
    // Through the shell, as git does: `$EDITOR` may carry arguments (`code --wait`).
    #[cfg(unix)]
    let mut process = {
        let mut process = Command::new("sh");
        process
            .arg("-c")
            .arg(format!("{command} \"$1\""))
            .arg("sh")
            .arg(path);
        process
    };
    #[cfg(not(unix))]
    let mut process = {
        let mut words = command.split_whitespace();
        let mut process = Command::new(words.next().unwrap_or("vi"));
        process.args(words).arg(path);
        process
    };
    match process.status() {
        Err(error) => Err(format!("The editor ({command}) did not start: {error}")),
        Ok(status) if status.success() => Ok(()),
        // The shell's "command not found".
        Ok(status) if cfg!(unix) && status.code() == Some(127) => Err(format!(
            "The editor ({command}) was not found; set $VISUAL or $EDITOR"
        )),
        Ok(status) => Err(match status.code() {
            Some(code) => format!("The editor ({command}) exited with status {code}"),
            None => format!("The editor ({command}) was stopped by a signal"),
        }),
    }
}

/// Edits `request.text` in the host's editor through a private temporary file (mode 0600,
/// removed afterwards), and says what came of it. `Err` only when the terminal is lost.
pub fn edit_in_editor(host: &mut impl Host, request: &EditorRequest) -> io::Result<EditorOutcome> {
    let failed =
        |what: &str, error: io::Error| Ok(EditorOutcome::Failed(format!("{what}: {error}")));
    let suffix = format!(".{}", request.extension);
    let mut builder = tempfile::Builder::new();
    builder.prefix("dbx-console-").suffix(&suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut file = match builder.tempfile() {
        Ok(file) => file,
        Err(error) => return failed("No temporary file for the editor", error),
    };
    // Editors expect text files to end with a line break (and add one when saving).
    let mut written = request.text.clone();
    if !written.is_empty() && !written.ends_with('\n') {
        written.push('\n');
    }
    if let Err(error) = file
        .write_all(written.as_bytes())
        .and_then(|()| file.flush())
    {
        return failed("The text could not be written for the editor", error);
    }
    if let Err(reason) = host.run_editor(file.path())? {
        return Ok(EditorOutcome::Failed(reason));
    }
    // By path: many editors save by replacing the file rather than writing into it.
    match std::fs::read_to_string(file.path()) {
        Err(error) => failed("The editor's file could not be read back", error),
        Ok(text) if text == written => Ok(EditorOutcome::Unchanged),
        Ok(text) => Ok(EditorOutcome::Changed(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visual_wins_then_editor_then_vi() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(
            editor_command(vars(&[("VISUAL", "code --wait"), ("EDITOR", "nano")])),
            "code --wait"
        );
        assert_eq!(
            editor_command(vars(&[("VISUAL", " "), ("EDITOR", "nano")])),
            "nano"
        );
        assert_eq!(editor_command(vars(&[])), "vi");
    }

    #[cfg(unix)]
    #[test]
    fn the_shell_runs_the_editor_with_its_arguments_and_reports_failures() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("field.txt");
        std::fs::write(&path, "old\n").expect("written");
        // `$EDITOR` with an argument of its own, and a path with a space.
        let spaced = dir.path().join("a field.txt");
        std::fs::write(&spaced, "old\n").expect("written");
        assert_eq!(spawn_editor("printf 'new\\n' >", &spaced), Ok(()));
        assert_eq!(std::fs::read_to_string(&spaced).unwrap(), "new\n");
        assert_eq!(
            spawn_editor("false", &path),
            Err("The editor (false) exited with status 1".into())
        );
        assert_eq!(
            spawn_editor("dbx-console-no-such-editor", &path),
            Err(
                "The editor (dbx-console-no-such-editor) was not found; set $VISUAL or $EDITOR"
                    .into()
            )
        );
    }
}
