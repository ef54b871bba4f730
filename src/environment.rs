//! The environment variables verzuim reads, named in one place. Their names
//! are English, like the code's mechanics; the names an earlier release
//! read are still accepted (docs/decisions.md, "One command-line language").
//! `VERZUIM_EVENT` is not here: verzuim sets it, for the `[signaal]` command.

pub struct Var {
    pub name: &'static str,
    /// The name of an earlier release, read when `name` is not set.
    pub old: Option<&'static str>,
}

/// `JJJJ-MM-DD`: the date `run`, `status` and `report` take as today.
pub const TODAY: Var = Var { name: "VERZUIM_TODAY", old: None };
/// DuckDB's memory limit while a catalog is built (`4GB`).
pub const CATALOG_MEMORY: Var = Var { name: "VERZUIM_CATALOG_MEMORY", old: Some("VERZUIM_CATALOGUS_GEHEUGEN") };
/// Bytes: how much of a picture table's files, all small, a full catalog
/// build copies once instead of reading them on every pass (default
/// 268435456; 0 reads every table in place).
pub const BUILD_COPY_BYTES: Var = Var { name: "VERZUIM_BUILD_COPY_BYTES", old: None };
/// Set: the catalog build prints the time of each `sql/` file, lake view,
/// `bouw_<tabel>` and step around them (listing, column check, checkpoint).
pub const SQL_TIMES: Var = Var { name: "VERZUIM_SQL_TIMES", old: Some("VERZUIM_SQL_TIJDEN") };
/// A failpoint's name: the process pauses there (crash tests).
pub const PAUSE_AT: Var = Var { name: "VERZUIM_PAUSE_AT", old: Some("VERZUIM_PAUZE_BIJ") };
/// The file a paused process creates, so that a test knows it is there.
pub const PAUSE_MARKER: Var = Var { name: "VERZUIM_PAUSE_MARKER", old: Some("VERZUIM_PAUZE_MELDING") };

impl Var {
    /// The value under the name, else under the earlier name.
    pub fn get(&self) -> Option<String> {
        std::env::var(self.name).ok().or_else(|| self.old.and_then(|o| std::env::var(o).ok()))
    }

    pub fn is_set(&self) -> bool {
        self.get().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earlier_name_is_read_when_the_name_is_not_set() {
        let var = Var { name: "VERZUIM_TEST_ENV_NEW_7F3A", old: Some("VERZUIM_TEST_ENV_OLD_7F3A") };
        assert_eq!(var.get(), None);
        // SAFETY: no other thread reads these two names, which exist for this test only.
        unsafe { std::env::set_var("VERZUIM_TEST_ENV_OLD_7F3A", "oud") };
        assert_eq!(var.get().as_deref(), Some("oud"));
        unsafe { std::env::set_var("VERZUIM_TEST_ENV_NEW_7F3A", "nieuw") };
        assert_eq!(var.get().as_deref(), Some("nieuw"), "the new name wins");
    }
}
