//! Everything printed on stdout: aligned tables for people, JSON for programs.
//!
//! Commands build plain rows of strings; this module owns alignment and number formatting so that
//! every table looks the same. Diagnostics and progress go to stderr, never here.

use comfy_table::{CellAlignment, ContentArrangement, Table};
use serde::Serialize;

use crate::exit::Exit;
use crate::i18n::{number, t, text};
use crate::summary::Totals;

pub use crate::i18n::xof;

/// A table with a header line; columns listed in `right` are right-aligned (numbers). Widths are
/// display widths (comfy-table), so names with accents or wide characters stay aligned; no
/// borders, two spaces between columns, never wrapped.
pub fn table(headers: &[&str], rows: &[Vec<String>], right: &[usize]) -> String {
    let mut table = Table::new();
    table
        .load_preset(comfy_table::presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers.to_vec())
        .add_rows(rows.iter().cloned());
    for i in 0..headers.len() {
        if let Some(column) = table.column_mut(i) {
            let last = i + 1 == headers.len();
            column.set_padding((0, if last { 0 } else { 2 }));
            if right.contains(&i) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    table
        .lines()
        .map(|line| line.trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The summary table of a set of payouts.
pub fn totals_table(totals: &Totals) -> String {
    let mut rows: Vec<Vec<String>> = totals
        .named()
        .iter()
        .map(|(name, t)| vec![bucket_name(name), number(t.count), xof(t.amount_xof)])
        .collect();
    rows.push(vec![
        t!("bucket-total"),
        number(totals.total.count),
        xof(totals.total.amount_xof),
    ]);
    table(
        &[&t!("col-status"), &t!("col-payouts"), &t!("col-amount")],
        &rows,
        &[1, 2],
    )
}

/// The name of a bucket of [`Totals::named`] in the command's language.
pub fn bucket_name(name: &str) -> String {
    match name {
        "paid" => t!("bucket-paid"),
        "rejected" => t!("bucket-rejected"),
        "failed" => t!("bucket-failed"),
        "pending" => t!("bucket-pending"),
        _ => t!("bucket-unknown"),
    }
}

/// An optional cell.
pub fn cell(value: Option<&str>) -> String {
    value.unwrap_or("-").to_owned()
}

/// A line for the person running the command, on stderr: as is, or `{"notice": ...}` with
/// `--json`, so that a program reading stderr gets JSON only.
pub fn notice(json: bool, text: &str) {
    if json {
        eprintln!("{}", serde_json::json!({ "notice": text }));
    } else {
        eprintln!("{text}");
    }
}

/// An error on stderr: `error: ...`, or `{"error": {"message", "exit_code"}}` with `--json`.
pub fn error(json: bool, message: &str, exit: Exit) {
    if json {
        let value = serde_json::json!({ "error": { "message": message, "exit_code": exit as u8 } });
        eprintln!("{value}");
    } else {
        eprintln!("{}", t!("error-prefix", message = text(message)));
    }
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json(value: &impl Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!(
            "{}",
            t!(
                "error-prefix",
                message = text(t!("json-unwritable", reason = text(e)))
            )
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align() {
        let text = table(
            &["a", "n"],
            &[vec!["xx".into(), "5".into()], vec!["y".into(), "100".into()]],
            &[1],
        );
        assert_eq!(text, "a     n\nxx    5\ny   100");
        let wide = table(
            &["name", "n"],
            &[vec!["Koné".into(), "1".into()], vec!["日本".into(), "22".into()]],
            &[1],
        );
        assert_eq!(wide, "name   n\nKoné   1\n日本  22");
    }
}
