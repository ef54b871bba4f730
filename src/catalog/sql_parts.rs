//! Which files of `sql/` the stored tables are made by, and which only
//! make rules on top of them: the figures.
//!
//! Changed SQL used to rebuild the whole catalog (20 s at national scale,
//! minutes on years of history). A changed figure needs none of that: its
//! macro is made again in the catalog as it stands (`create or replace`),
//! in a fraction of a second. Only a change to the SQL the stored tables are
//! made by changes what they hold. The split is read from the SQL itself,
//! so that it follows every edit without a list to keep: the *storage* part
//! is every file that stores a table, and — transitively — every file that
//! makes a name one of those, or a file of `sql/bijwerken/`, uses; the rest
//! are *rules*. A macro counts as used where its name is called (`name(`),
//! so that a column of the same name (`tijdlijn.vrijstellingen` beside the
//! figure `vrijstellingen(jaar)`) does not pull a figure in; a view or a
//! table where its name appears. A mention in a comment does not count; a
//! name inside a string does (`query_table('beeld_persoon')`), which can
//! only put a file in the storage part that need not be: a rebuild too many,
//! never one too few.

use std::collections::{BTreeSet, HashMap};

/// What a `create` statement makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Table,
    View,
    Macro,
}

/// A name a file makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Made {
    pub name: String,
    pub kind: Kind,
    /// `create temp …`: gone with the connection.
    pub temporary: bool,
}

/// The files of `sql/` split in two (indices into the files given).
#[derive(Debug)]
pub(super) struct Parts {
    storage: BTreeSet<usize>,
}

impl Parts {
    /// Splits `files` (`sql/`, in order) given `updates` (`sql/bijwerken/`).
    pub fn of(files: &[(&str, &str)], updates: &[(&str, &str)]) -> Parts {
        let used: Vec<BTreeSet<String>> = files.iter().map(|(_, sql)| words(sql)).collect();
        // per word as used (a macro: `name(`), the files making it
        let mut makers: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (_, sql)) in files.iter().enumerate() {
            for made in made_by(sql) {
                let used_as = match made.kind {
                    Kind::Macro => format!("{}(", made.name),
                    Kind::Table | Kind::View => made.name,
                };
                makers.entry(used_as).or_default().push(i);
            }
        }
        let mut storage = BTreeSet::new();
        let mut todo: Vec<usize> = Vec::new();
        for (i, (_, sql)) in files.iter().enumerate() {
            if stores_a_table(sql) {
                todo.push(i);
            }
        }
        let update_words: BTreeSet<String> = updates.iter().flat_map(|(_, sql)| words(sql)).collect();
        todo.extend(update_words.iter().filter_map(|w| makers.get(w)).flatten());
        while let Some(i) = todo.pop() {
            if storage.insert(i) {
                todo.extend(used[i].iter().filter_map(|w| makers.get(w)).flatten().filter(|j| !storage.contains(j)));
            }
        }
        Parts { storage }
    }

    /// Whether file `i` is part of what the stored tables are made by.
    pub fn is_storage(&self, i: usize) -> bool {
        self.storage.contains(&i)
    }
}

/// Whether `sql` stores a table (rather than only making views, macros and
/// temporary tables, which a copied catalog holds already or does not keep).
pub(super) fn stores_a_table(sql: &str) -> bool {
    made_by(sql).iter().any(|m| m.kind == Kind::Table && !m.temporary)
}

/// The names `sql` makes, in order.
pub(super) fn made_by(sql: &str) -> Vec<Made> {
    let tokens = tokens(sql);
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t != "create" {
            continue;
        }
        let mut rest = tokens[i + 1..].iter().map(String::as_str).peekable();
        if rest.peek() == Some(&"or") {
            rest.next();
            rest.next(); // replace
        }
        let temporary = matches!(rest.peek(), Some(&"temp") | Some(&"temporary"));
        if temporary {
            rest.next();
        }
        let kind = match rest.next() {
            Some("table") => Kind::Table,
            Some("view") => Kind::View,
            Some("macro") => Kind::Macro,
            _ => continue,
        };
        if rest.peek() == Some(&"if") {
            rest.nth(2); // if not exists
        }
        if let Some(name) = rest.next() {
            out.push(Made { name: name.to_string(), kind, temporary });
        }
    }
    out
}

/// The distinct words of `sql`, comments left out, each also as `word(`
/// where it is called.
fn words(sql: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (word, called) in words_in_order(sql) {
        if called {
            out.insert(format!("{word}("));
        }
        out.insert(word);
    }
    out
}

/// The words of `sql` in order.
fn tokens(sql: &str) -> Vec<String> {
    words_in_order(sql).into_iter().map(|(word, _)| word).collect()
}

/// The words of `sql` in order, lowercase — runs of letters, digits and `_`
/// outside `--` comments (string contents included) — each with whether a
/// `(` follows it (spaces between allowed).
fn words_in_order(sql: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut word = String::new();
    let (mut in_string, mut in_comment) = (false, false);
    // the last word, until something other than a space shows whether it is called
    let mut open = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push((std::mem::take(&mut word), false));
            open = true;
        }
        if c.is_whitespace() {
            continue;
        }
        if open
            && c == '('
            && let Some(last) = out.last_mut()
        {
            last.1 = true;
        }
        open = false;
        match c {
            '\'' => in_string = !in_string,
            '-' if !in_string && chars.peek() == Some(&'-') => in_comment = true,
            _ => {}
        }
    }
    if !word.is_empty() {
        out.push((word, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_made_are_read_from_create_statements() {
        let sql = "-- create table uit_commentaar as\ncreate or replace macro a(x) as x;\n\
                   create or replace temp table b as select 1;\ncreate table if not exists c (x int);\n\
                   create or replace view d as select 1;";
        let made: Vec<(String, Kind, bool)> = made_by(sql).into_iter().map(|m| (m.name, m.kind, m.temporary)).collect();
        assert_eq!(
            made,
            vec![
                ("a".into(), Kind::Macro, false),
                ("b".into(), Kind::Table, true),
                ("c".into(), Kind::Table, false),
                ("d".into(), Kind::View, false),
            ]
        );
    }

    #[test]
    fn a_comment_is_no_use_but_a_string_is() {
        let used = words("select 'x -- y' as s -- z\n, query_table ('Beeld_Persoon') as w");
        for w in ["x", "y", "s", "beeld_persoon", "w", "query_table", "query_table("] {
            assert!(used.contains(w), "{w}");
        }
        assert!(!used.contains("z") && !used.contains("s(") && !used.contains("beeld_persoon("));
    }

    #[test]
    fn storage_is_what_a_stored_table_uses_transitively() {
        let files = [
            ("010", "create or replace macro hulp(x) as x + 1;"),
            ("020", "create or replace macro bron() as table select hulp(1) as x;"),
            ("030", "-- cijfer is mentioned here only\ncreate or replace table opgeslagen as from bron();"),
            ("040", "create or replace macro cijfer() as table from opgeslagen;"),
            ("045", "create or replace macro kolom() as table select 1 as hulp;"),
            ("050", "create or replace macro los() as 2;"),
            ("060", "create or replace macro bij() as table select 3;"),
        ];
        // `kolom` as a column's name is no call of the macro
        let updates = [("030", "insert into opgeslagen select bij, kolom from query_table('bij') where x in (from bij());")];
        let parts = Parts::of(&files, &updates);
        let storage: Vec<&str> = (0..files.len()).filter(|i| parts.is_storage(*i)).map(|i| files[i].0).collect();
        assert_eq!(storage, vec!["010", "020", "030", "060"]);
    }

    #[test]
    fn the_shipped_sql_keeps_the_figures_out_of_the_storage_part() {
        let files = crate::embedded::SQL_FILES;
        let parts = Parts::of(files, crate::embedded::SQL_BIJWERKEN);
        let storage = |name: &str| parts.is_storage(files.iter().position(|(n, _)| n.starts_with(name)).unwrap());
        for stored in ["017", "018", "020", "021", "024", "042", "043", "056"] {
            assert!(storage(stored), "sql/{stored} makes what a stored table is made of");
        }
        for rule in ["052_status_op", "100_leerplichttelling", "121_vsv", "160_bevinding"] {
            assert!(!storage(rule), "sql/{rule} is a rule on top of the stored tables");
        }
    }
}
