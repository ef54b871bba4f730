//! What every layer needs of the file system and the processes on it, once,
//! below everything that uses it: files and folders readable by their owner
//! only (they hold children's BSNs, names and addresses, docs/security.md),
//! and whether the process named in a leftover's name still runs.

use std::fs::{self, File};
use std::path::Path;

use crate::error::{Error, Result};

/// Creates `dir` (and its parents) readable by its owner only (0700)
/// whatever the umask: it will hold children's BSNs, names and addresses.
/// An existing directory keeps the mode its operator gave it.
pub fn private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| Error::io(dir, e))?;
    set_mode(dir, 0o700)
}

/// Creates (or truncates) a file readable by its owner only (0600).
pub fn private_file(path: &Path) -> Result<File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| Error::io(path, e))
}

/// Makes everything written to the file system holding `path` durable, with
/// one call: on Linux `syncfs(2)`, which the lake's commit uses once per
/// batch of deliveries instead of an fsync per file (docs/lake.md: 11 files a
/// delivery, and an fsync each was half of a weekly P-levering's ingest).
/// Elsewhere each of `files` (files and directories) is fsynced.
pub fn sync_file_system(path: &Path, files: &[std::path::PathBuf]) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let _ = files;
        let dir = File::open(path).map_err(|e| Error::io(path, e))?;
        // SAFETY: syncfs only reads the descriptor, which `dir` keeps open.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(Error::io(path, std::io::Error::last_os_error()));
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        for f in files {
            File::open(f).and_then(|f| f.sync_all()).map_err(|e| Error::io(f, e))?;
        }
        Ok(())
    }
}

/// Sets the permission bits (the umask applies to `mode` at creation).
pub fn set_mode(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(|e| Error::io(path, e))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Whether a process with this pid runs (on this machine), for locks and
/// leftovers named by pid: a dead owner's are stale. Read from `/proc`;
/// where there is none (macOS, BSD) nobody can be shown dead, so every
/// owner counts as alive: a leftover staging folder or lock then stays for
/// the operator to remove, rather than a running writer's being removed.
pub fn process_alive(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new("/proc").join(pid.to_string()).exists()
}
