//! One run at a time per lake: `<lake>/.verzuim.lock` holds the pid of the
//! run that has it. A lock whose process is gone (killed, crashed) is taken
//! over with a warning; a live one makes the second run stop at once.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub struct Lock {
    path: PathBuf,
}

pub enum Acquired {
    Got(Lock),
    /// Taken over from a process that no longer runs.
    TookOver(Lock, u32),
    HeldBy(u32),
}

const LOCK_FILE: &str = ".verzuim.lock";

impl Lock {
    pub fn acquire(lake: &Path) -> Result<Acquired> {
        crate::files::private_dir(lake)?;
        let path = lake.join(LOCK_FILE);
        let mut stale = None;
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    write!(f, "{}", std::process::id()).and_then(|()| f.sync_all()).map_err(|e| Error::io(&path, e))?;
                    let lock = Lock { path };
                    return Ok(match stale {
                        Some(pid) => Acquired::TookOver(lock, pid),
                        None => Acquired::Got(lock),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).ok().and_then(|s| s.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if pid != std::process::id() && crate::files::process_alive(pid) => {
                            return Ok(Acquired::HeldBy(pid));
                        }
                        other => {
                            stale = Some(other.unwrap_or(0));
                            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                        }
                    }
                }
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        Err(Error::lake(lake, "the lock file keeps reappearing: another run is starting"))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
