//! Named points where a test can stop the process, to kill it there with
//! SIGKILL and prove that nothing is lost or doubled. Inert unless the
//! environment variable `VERZUIM_PAUZE_BIJ` names the point: the process
//! then creates the file named by `VERZUIM_PAUZE_MELDING` and sleeps.

pub fn pause(point: &str) {
    if std::env::var("VERZUIM_PAUZE_BIJ").is_ok_and(|p| p == point) {
        if let Ok(marker) = std::env::var("VERZUIM_PAUZE_MELDING") {
            let _ = std::fs::write(marker, point);
        }
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }
}
