//! Files and directories only their owner may read: 0700 directories and 0600 files, for the
//! token store and the change journal. Windows has no mode bits; the profile directory's ACLs
//! protect the files there, so these helpers do nothing on it.

use std::fs;
use std::io;
use std::path::Path;

/// Which step of [`prepare_private_dir`] failed, so each caller can word its own message.
#[derive(Debug)]
pub enum PrivateDirError {
    Create(io::Error),
    Restrict(io::Error),
}

/// Creates `directory` (and missing parents) as 0700. An existing directory is tightened to
/// 0700 only when `tighten_existing`: our own data directory is, but a directory the user
/// named may be shared (their home, a project folder) and keeps its mode; the 0600 files
/// inside protect themselves either way.
pub fn prepare_private_dir(
    directory: &Path,
    tighten_existing: bool,
) -> Result<(), PrivateDirError> {
    let existed = directory.is_dir();
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        // Created 0700 from the start, so there is no moment when it is open to others.
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(directory).map_err(PrivateDirError::Create)?;
    if !existed || tighten_existing {
        // Also undoes a umask that took bits away from the mode above.
        set_mode(directory, 0o700).map_err(PrivateDirError::Restrict)?;
    }
    Ok(())
}

/// The permission bits when group or others have any; `None` on Windows.
pub fn mode_open_to_others(metadata: &fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(metadata.permissions().mode() & 0o777).filter(|mode| mode & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        None
    }
}

pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}
