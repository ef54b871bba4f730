//! Named points where a test can stop the process, to kill it there with
//! SIGKILL and prove that nothing is lost or doubled. Inert unless the
//! environment variable `VERZUIM_PAUSE_AT` names the point: the process
//! then creates the file named by `VERZUIM_PAUSE_MARKER` and sleeps.

use crate::environment::{PAUSE_AT, PAUSE_MARKER};

pub fn pause(point: &str) {
    if PAUSE_AT.get().is_some_and(|p| p == point) {
        if let Some(marker) = PAUSE_MARKER.get() {
            let _ = std::fs::write(marker, point);
        }
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }
}
