//! Who a payout run is, whose account it pays from, and the idempotency key of each row.
//!
//! The key (`client_transaction_id`) is what keeps a payout from being paid twice: CinetPay
//! refuses a second payout under an id it already holds. So the key of a row must stay the same
//! for as long as the row means the same payout, and must differ as soon as the user means a new
//! one (ADR 5):
//!
//! - a **run** has a name (`--run NAME`, or a fresh one from `--new-run`), stored in its journal;
//! - a row without its own id gets `csv-` + 20 hex of SHA-256 over the run name and what the
//!   payout *is*: country code, number, amount, and its occurrence among identical rows of the
//!   file (two identical payouts to one person are legitimate and need two ids). Names, e-mail,
//!   operator, notify URL and the line number are left out: fixing a surname, or inserting a row
//!   above, does not turn a payout into another one;
//! - next month's identical file under the same run name produces the same ids (never paid
//!   twice); a new month is a new run because the user says so, with a new name.
//!
//! The merchant is recorded as a fingerprint of its API key (a truncated SHA-256, never the key),
//! so that a journal cannot be resumed against another account.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::csv_input::PayoutRow;

/// The run name of `--sandbox` runs without `--run`: the embedded sandbox is new in every
/// process, so there is no earlier run to protect.
pub const SANDBOX_RUN_PREFIX: &str = "sandbox";

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(data: &[u8]) -> String {
    format!("{:x}", Sha256::digest(data))
}

/// Checks a `--run` value (clap `value_parser`): it goes into every id and into file names.
pub fn parse_run_name(raw: &str) -> Result<String, String> {
    let ok = (1..=64).contains(&raw.len())
        && raw.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(format!(
            "{raw:?} is not a run name: 1 to 64 letters, digits, '-', '_' or '.', starting with a \
             letter or digit (e.g. 2026-11-salaries)"
        ))
    }
}

/// A run name nobody used before (`--new-run`): `prefix-YYYYMMDDTHHMMSSZ-` plus 6 random hex.
pub fn fresh_run_name(prefix: &str) -> String {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let stamp: String = now.chars().filter(|c| *c != '-' && *c != ':').collect();
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}-{stamp}-{}", &random[..6])
}

/// The id of each row: the file's own `client_transaction_id`, else one derived from the run
/// name and the payout (see the module doc). Same order as `rows`.
pub fn row_ids(run: &str, rows: &[PayoutRow]) -> Vec<String> {
    let mut ids = Ids::new(run);
    rows.iter().map(|row| ids.next(row)).collect()
}

/// The ids of a file's rows, given one at a time in the file's order, so that a file is never
/// held in memory to name its rows. It counts the occurrences of each (code, number, amount) by
/// a 128-bit digest of the three, not by the strings: 100,000 distinct payouts take a few MB.
pub struct Ids<'r> {
    run: &'r str,
    seen: HashMap<[u8; 16], u64>,
    /// The text hashed for a row, written in place (a row's id was a fifth of checking it, most
    /// of it formatting).
    text: String,
}

impl<'r> Ids<'r> {
    pub fn new(run: &'r str) -> Self {
        Ids {
            run,
            seen: HashMap::new(),
            text: String::new(),
        }
    }

    /// The id of the next row of the file. Occurrences are counted among rows without their own
    /// id only: a row carrying its own id is another payout whatever it pays, so moving it never
    /// changes the derived id of another row. Giving a row its own id does change the ids of the
    /// identical rows after it (each moves up one occurrence): copying a row's derived id into
    /// its own cell gives the next identical row that same id (`id_clash`).
    pub fn next(&mut self, row: &PayoutRow) -> String {
        if let Some(id) = &row.client_transaction_id {
            return id.clone();
        }
        use std::fmt::Write;
        // The texts are put together piece by piece: `write!` with every piece as an argument
        // was a third of deriving an id.
        let text = &mut self.text;
        text.clear();
        for piece in [&row.prefix, "\n", &row.phone, "\n"] {
            text.push_str(piece);
        }
        let _ = write!(text, "{}", row.amount);
        let payout = Sha256::digest(text.as_bytes());
        let mut key = [0; 16];
        key.copy_from_slice(&payout[..16]);
        let occurrence = self.seen.entry(key).or_default();
        *occurrence += 1;
        text.clear();
        for piece in [
            "run=",
            self.run,
            "\nprefix=",
            &row.prefix,
            "\nphone=",
            &row.phone,
            "\namount=",
        ] {
            text.push_str(piece);
        }
        let _ = write!(text, "{}\nn={occurrence}", row.amount);
        derived_id(Sha256::digest(text.as_bytes()).as_slice())
    }
}

/// A row whose own id (its `client_transaction_id` cell) is the id the run derives for another
/// row of the file, which has none: both cannot be paid under one id. Own ids are unique among
/// themselves (`csv_input`) and derived ids too (`Ids`), so this is the only way two rows of a
/// file share an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdClash {
    pub id: String,
    /// The line of the row that has the id in its cell.
    pub own_line: u64,
    /// The line of the row that gets it from the run.
    pub derived_line: u64,
}

/// The first `IdClash` among rows given as (id, line, whether the id is the row's own).
pub fn id_clash<'a>(rows: impl IntoIterator<Item = (&'a str, u64, bool)>) -> Option<IdClash> {
    let mut seen: HashMap<&str, (u64, bool)> = HashMap::new();
    rows.into_iter().find_map(|(id, line, own)| {
        let (first_line, first_own) = *seen.entry(id).or_insert((line, own));
        (first_line != line).then(|| {
            let (own_line, derived_line) = if own {
                (line, first_line)
            } else {
                (first_line, line)
            };
            debug_assert!(
                own != first_own,
                "own and derived ids are unique among themselves"
            );
            IdClash {
                id: id.to_owned(),
                own_line,
                derived_line,
            }
        })
    })
}

/// The first `IdClash` among a file's rows, each given with its id.
pub fn file_id_clash<'a>(rows: impl IntoIterator<Item = (&'a str, &'a PayoutRow)>) -> Option<IdClash> {
    id_clash(
        rows.into_iter()
            .map(|(id, row)| (id, row.line, row.client_transaction_id.is_some())),
    )
}

/// `csv-` and the first 20 hex digits of the digest of a row's text.
fn derived_id(digest: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(24);
    id.push_str("csv-");
    for byte in &digest[..10] {
        id.push(char::from(HEX[usize::from(byte >> 4)]));
        id.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    id
}

/// The merchant's fingerprint: enough to tell two accounts apart, useless to anyone holding it.
pub fn merchant_fingerprint(api_key: &str) -> String {
    let digest = sha256_hex(format!("cinetpay-merchant\n{}", api_key.trim()).as_bytes());
    format!("sha256:{}", &digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row with the id in its cell is named as such, whichever comes first; distinct ids,
    /// or one id on one line, are no clash.
    #[test]
    fn a_clash_names_the_row_with_its_own_id() {
        let clash = |rows: &[(&'static str, u64, bool)]| id_clash(rows.iter().copied());
        let expected = Some(IdClash {
            id: "csv-1".into(),
            own_line: 3,
            derived_line: 5,
        });
        assert_eq!(
            clash(&[("a", 2, true), ("csv-1", 3, true), ("csv-1", 5, false)]),
            expected
        );
        assert_eq!(
            clash(&[("csv-1", 5, false), ("a", 2, true), ("csv-1", 3, true)]),
            expected
        );
        assert_eq!(
            clash(&[("csv-1", 5, false), ("csv-2", 3, true), ("a", 2, true)]),
            None
        );
    }

    /// The ids of journals already written: what `sha256("run=...\nprefix=...\nphone=...\n
    /// amount=...\nn=...")` gives, in hex, 20 digits (ADR 5). Never to change.
    #[test]
    fn derived_ids_are_those_of_earlier_runs() {
        let rows = [
            row(2, "0701020304", 500, "Kone"),
            row(3, "0701020304", 500, "Diallo"),
        ];
        assert_eq!(
            row_ids("nov", &rows),
            ["csv-f22fd1fb777affb174ee", "csv-15b99562352b10174f2e"]
        );
    }

    fn row(line: u64, phone: &str, amount: i64, surname: &str) -> PayoutRow {
        PayoutRow {
            line,
            prefix: "225".into(),
            phone: phone.into(),
            amount,
            name: "Awa".into(),
            surname: surname.into(),
            email: None,
            payment_method: None,
            client_transaction_id: None,
            notify_url: "https://m.example/n".into(),
        }
    }

    #[test]
    fn ids_survive_edits_of_other_rows_and_of_names() {
        let before = [
            row(2, "0701020304", 500, "Kone"),
            row(3, "0701020305", 700, "Diop"),
        ];
        let after = [
            row(2, "0701020399", 900, "New"),
            row(3, "0701020305", 700, "Diop-Fixed"),
            row(4, "0701020304", 500, "Kone"),
        ];
        let (a, b) = (row_ids("nov", &before), row_ids("nov", &after));
        assert_eq!(a[0], b[2]);
        assert_eq!(a[1], b[1]);
        assert!(!a.contains(&b[0]));
        assert_eq!(a[0].len(), 24);
    }

    #[test]
    fn identical_rows_get_distinct_ids_and_runs_separate_months() {
        let rows = [
            row(2, "0701020304", 500, "Kone"),
            row(3, "0701020304", 500, "Kone"),
        ];
        let nov = row_ids("nov", &rows);
        assert_ne!(nov[0], nov[1]);
        let dec = row_ids("dec", &rows);
        assert!(dec.iter().all(|id| !nov.contains(id)));
        assert_eq!(nov, row_ids("nov", &rows));
    }

    /// Issue 11: a row with its own id, swapped with an identical row without one, must not
    /// change the derived id (a new journal under the run name would pay it a third time).
    #[test]
    fn rows_with_their_own_id_do_not_count_as_occurrences() {
        let mut own = row(2, "0701020304", 500, "Kone");
        own.client_transaction_id = Some("merchant-1".into());
        let plain = row(3, "0701020304", 500, "Kone");
        let before = row_ids("nov", &[own.clone(), plain.clone()]);
        let after = row_ids("nov", &[plain.clone(), own.clone()]);
        assert_eq!(before[1], after[0]);
        assert_eq!(before[0], "merchant-1");
        assert_eq!(after[1], "merchant-1");
        assert_eq!(before[1], row_ids("nov", &[plain])[0]);
    }

    /// Random files, randomly edited (rows inserted, deleted, moved, renamed, some with their own
    /// id): for every payout (number and amount) without its own id, the ids it has before and
    /// after are one a prefix of the other, so an unchanged payout never gets a new id; rows with
    /// their own id keep it; and no two rows of a file or of two runs share one.
    #[test]
    fn random_edits_never_give_an_unchanged_payout_a_new_id() {
        let seed = fastrand::u64(..);
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut own_ids = 0u64;
        for _ in 0..200 {
            let mut random_row = |rng: &mut fastrand::Rng| {
                let phone = format!("07010203{:02}", rng.u8(0..6));
                let mut r = row(0, &phone, [500, 1_000][rng.usize(0..2)], "Kone");
                if rng.u8(0..4) == 0 {
                    own_ids += 1;
                    r.client_transaction_id = Some(format!("own-{own_ids}"));
                }
                r
            };
            let before: Vec<PayoutRow> = (0..rng.usize(1..15)).map(|_| random_row(&mut rng)).collect();
            let mut after = before.clone();
            for _ in 0..rng.usize(0..6) {
                match rng.u8(0..4) {
                    0 => after.insert(rng.usize(0..=after.len()), random_row(&mut rng)),
                    1 if !after.is_empty() => {
                        after.remove(rng.usize(0..after.len()));
                    }
                    2 if after.len() > 1 => {
                        let moved = after.remove(rng.usize(0..after.len()));
                        after.insert(rng.usize(0..=after.len()), moved);
                    }
                    _ if !after.is_empty() => {
                        let i = rng.usize(0..after.len());
                        after[i].surname = "Renamed".into();
                    }
                    _ => {}
                }
            }
            let ids_by_payout = |rows: &[PayoutRow], run: &str| {
                let mut map: HashMap<(String, i64), Vec<String>> = HashMap::new();
                for (r, id) in rows.iter().zip(row_ids(run, rows)) {
                    match &r.client_transaction_id {
                        Some(own) => assert_eq!(&id, own, "seed {seed}: an own id is kept"),
                        None => map.entry((r.phone.clone(), r.amount)).or_default().push(id),
                    }
                }
                map
            };
            let (a, b) = (ids_by_payout(&before, "nov"), ids_by_payout(&after, "nov"));
            for (payout, ids_before) in &a {
                let ids_after = b.get(payout).cloned().unwrap_or_default();
                let n = ids_before.len().min(ids_after.len());
                assert_eq!(ids_before[..n], ids_after[..n], "seed {seed}: {payout:?}");
            }
            let all: std::collections::HashSet<String> = row_ids("nov", &after).into_iter().collect();
            assert_eq!(all.len(), after.len(), "seed {seed}: ids unique in a file");
            let dec = row_ids("dec", &after);
            for (r, id) in after.iter().zip(&dec) {
                let own = r.client_transaction_id.is_some();
                assert_eq!(all.contains(id), own, "seed {seed}: only own ids span runs");
            }
        }
    }

    #[test]
    fn run_names_and_fingerprints() {
        assert!(parse_run_name("2026-11_salaries.v2").is_ok());
        for bad in ["", "-x", "a b", "a/b", &"x".repeat(65)] {
            assert!(parse_run_name(bad).is_err(), "{bad:?}");
        }
        let fresh = fresh_run_name("pay");
        assert!(parse_run_name(&fresh).is_ok(), "{fresh}");
        assert_ne!(fresh, fresh_run_name("pay"));
        let fp = merchant_fingerprint("secret-key");
        assert!(!fp.contains("secret"));
        assert_ne!(fp, merchant_fingerprint("other-key"));
    }
}
