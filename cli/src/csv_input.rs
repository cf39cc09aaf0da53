//! Reading payout and contact CSV files, and checking every row before anything is sent.
//!
//! A finance team's spreadsheet has many rows and, often, several mistakes: reporting them one at a
//! time would take as many runs. So every row is checked and every fault reported with its line
//! number and column. What a cell must be (phone, amount limits, URL, ids, operator code, e-mail)
//! is the core's rule, applied by `validate_transfers` / `validate_contacts`; this module only adds
//! what is about the file: columns, whole-number cells, the `--notify-url` default.
//!
//! Files may start with a UTF-8 BOM and may use `;` as separator (spreadsheets in French locales).

use std::collections::HashMap;
use std::fmt;

use cinetpay_transfer::{normalize_phone, validate_contacts, validate_transfers, Contact, Limits, Transfer};
use serde::Serialize;

/// A fault of one cell (or of the file, at line 1 for the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, {}: {}", self.line, self.field, self.message)
    }
}

/// One valid row of a payout file, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutRow {
    /// Line of the row in the file (the header is line 1).
    pub line: u64,
    pub prefix: String,
    pub phone: String,
    pub amount: i64,
    pub name: String,
    pub surname: String,
    pub email: Option<String>,
    pub payment_method: Option<String>,
    /// The file's own id for the row, when it has a `client_transaction_id` column value.
    pub client_transaction_id: Option<String>,
    pub notify_url: String,
}

impl PayoutRow {
    /// The transfer to hand to the core, under the row's idempotency key.
    pub fn transfer(&self, client_transaction_id: &str) -> Transfer {
        Transfer {
            prefix: self.prefix.clone(),
            phone: self.phone.clone(),
            amount: self.amount,
            notify_url: self.notify_url.clone(),
            client_transaction_id: Some(client_transaction_id.to_owned()),
            payment_method: self.payment_method.clone(),
            name: Some(self.name.clone()),
            surname: Some(self.surname.clone()),
            email: self.email.clone(),
        }
    }
}

const PAYOUT_COLUMNS: &[&str] = &[
    "phone",
    "prefix",
    "amount",
    "name",
    "surname",
    "email",
    "payment_method",
    "client_transaction_id",
    "notify_url",
];
const PAYOUT_REQUIRED: &[&str] = &["phone", "amount", "name", "surname"];
const CONTACT_COLUMNS: &[&str] = &["phone", "prefix", "name", "surname", "email"];
const CONTACT_REQUIRED: &[&str] = &["phone", "name", "surname"];

/// Reads and checks a payout file; `default_notify_url` fills empty `notify_url` cells.
pub fn read_payouts(
    data: &[u8],
    default_notify_url: Option<&str>,
    limits: &Limits,
) -> Result<Vec<PayoutRow>, Vec<RowError>> {
    let records = read_records(data, PAYOUT_COLUMNS, PAYOUT_REQUIRED)?;
    let mut errors = Vec::new();
    let mut candidates: Vec<(u64, Transfer)> = Vec::new();
    let mut all_rows: Vec<(u64, Transfer)> = Vec::new();
    for record in &records {
        let mut check = RowCheck::new(record.line);
        let amount = check.whole_number("amount", record.get("amount"));
        let notify_url = check.notify_url(record.get("notify_url"), default_notify_url);
        let optional = |column: &str| Some(record.get(column).to_owned()).filter(|v| !v.is_empty());
        let transfer = Transfer {
            prefix: record.get("prefix").to_owned(),
            phone: record.get("phone").to_owned(),
            amount: amount.unwrap_or(0),
            notify_url: notify_url.unwrap_or_default(),
            client_transaction_id: optional("client_transaction_id"),
            payment_method: optional("payment_method"),
            name: optional("name"),
            surname: optional("surname"),
            email: optional("email"),
        };
        // The core judges every cell it can; cells the file could not give it are faults already.
        let as_contact = contact_of(&transfer);
        let judged = [
            validate_transfers(std::slice::from_ref(&transfer), limits),
            validate_contacts(&[as_contact], limits),
        ];
        for fault in judged.into_iter().flatten() {
            let field = fault.field().unwrap_or("row");
            let already = check.errors.iter().any(|e| e.field == field);
            if !already && (amount.is_some() || field != "amount") {
                check.fault(field, fault.detail());
            }
        }
        errors.extend(check.errors.iter().cloned());
        if check.errors.is_empty() {
            candidates.push((record.line, transfer.clone()));
        }
        all_rows.push((record.line, transfer));
    }
    errors.extend(duplicate_ids(&all_rows));
    if candidates.is_empty() && errors.is_empty() {
        errors.push(RowError {
            line: 2,
            field: "file".into(),
            message: "the file has no payout rows".into(),
        });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    }
    Ok(candidates
        .into_iter()
        .map(|(line, t)| {
            let (prefix, phone) = normalize_phone(&t.prefix, &t.phone, limits).expect("validated");
            let contact = contact_of(&t);
            PayoutRow {
                line,
                prefix,
                phone,
                amount: t.amount,
                name: contact.name,
                surname: contact.surname,
                email: t.email,
                payment_method: t.payment_method.map(|m| m.to_ascii_uppercase()),
                client_transaction_id: t.client_transaction_id,
                notify_url: t.notify_url,
            }
        })
        .collect())
}

/// The contact a payout row registers.
fn contact_of(t: &Transfer) -> Contact {
    Contact {
        prefix: t.prefix.clone(),
        phone: t.phone.clone(),
        name: t.name.clone().unwrap_or_default(),
        surname: t.surname.clone().unwrap_or_default(),
        email: t.email.clone().unwrap_or_default(),
    }
}

/// An id used on two lines of the file: the second line is at fault.
fn duplicate_ids(rows: &[(u64, Transfer)]) -> Vec<RowError> {
    let mut first_line: HashMap<&str, u64> = HashMap::new();
    rows.iter()
        .filter_map(|(line, t)| {
            let id = t.client_transaction_id.as_deref()?;
            let first = *first_line.entry(id).or_insert(*line);
            (first != *line).then(|| RowError {
                line: *line,
                field: "client_transaction_id".into(),
                message: format!("{id:?} is also used on line {first}"),
            })
        })
        .collect()
}

/// Reads and checks a contacts file (columns phone, prefix, name, surname, email).
pub fn read_contacts(data: &[u8], limits: &Limits) -> Result<Vec<Contact>, Vec<RowError>> {
    let records = read_records(data, CONTACT_COLUMNS, CONTACT_REQUIRED)?;
    let mut errors = Vec::new();
    let mut contacts = Vec::new();
    for record in &records {
        let contact = Contact {
            prefix: record.get("prefix").to_owned(),
            phone: record.get("phone").to_owned(),
            name: record.get("name").to_owned(),
            surname: record.get("surname").to_owned(),
            email: record.get("email").to_owned(),
        };
        let faults = validate_contacts(std::slice::from_ref(&contact), limits);
        if faults.is_empty() {
            let (prefix, phone) =
                normalize_phone(&contact.prefix, &contact.phone, limits).expect("validated");
            contacts.push(Contact {
                prefix,
                phone,
                ..contact
            });
        }
        errors.extend(faults.iter().map(|fault| RowError {
            line: record.line,
            field: fault.field().unwrap_or("row").to_owned(),
            message: fault.detail().to_owned(),
        }));
    }
    if errors.is_empty() && !contacts.is_empty() {
        Ok(contacts)
    } else if errors.is_empty() {
        Err(vec![RowError {
            line: 2,
            field: "file".into(),
            message: "the file has no contact rows".into(),
        }])
    } else {
        Err(errors)
    }
}

/// A data row: its line and its trimmed cells by column name.
struct Record {
    line: u64,
    cells: HashMap<String, String>,
}

impl Record {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

/// Parses the CSV and checks its header against the known and required columns.
fn read_records(data: &[u8], known: &[&str], required: &[&str]) -> Result<Vec<Record>, Vec<RowError>> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let header_line = data.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = if header_line.contains(&b';') && !header_line.contains(&b',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data);
    let header_fault = |message: String| RowError {
        line: 1,
        field: "header".into(),
        message,
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| vec![header_fault(format!("cannot read the header: {e}"))])?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let mut errors: Vec<RowError> = duplicate_columns(&headers)
        .into_iter()
        .map(header_fault)
        .collect();
    errors.extend(headers.iter().filter(|h| !known.contains(&h.as_str())).map(|h| {
        header_fault(format!(
            "unknown column {h:?} (known columns: {})",
            known.join(", ")
        ))
    }));
    errors.extend(
        required
            .iter()
            .filter(|r| !headers.iter().any(|h| h == *r))
            .map(|r| header_fault(format!("missing column {r:?}"))),
    );
    let mut records = Vec::new();
    for result in reader.records() {
        match result {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                if record.iter().all(str::is_empty) {
                    continue;
                }
                if record.len() > headers.len() {
                    errors.push(RowError {
                        line,
                        field: "row".into(),
                        message: format!("{} cells for {} columns", record.len(), headers.len()),
                    });
                    continue;
                }
                let cells = headers
                    .iter()
                    .cloned()
                    .zip(record.iter().map(str::to_owned))
                    .collect();
                records.push(Record { line, cells });
            }
            Err(e) => errors.push(RowError {
                line: e.position().map_or(0, |p| p.line()),
                field: "row".into(),
                message: format!("unreadable CSV: {e}"),
            }),
        }
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

/// Columns whose names are the same once case and surrounding spaces are ignored (`Amount` and
/// `amount`): which one holds the amount is anyone's guess, so the file is refused.
fn duplicate_columns(headers: &[String]) -> Vec<String> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let at = *first.entry(h.as_str()).or_insert(i);
            (at != i).then(|| {
                format!(
                    "column {h:?} appears twice (columns {} and {}, names compared ignoring case): keep one",
                    at + 1,
                    i + 1
                )
            })
        })
        .collect()
}

/// Collects the faults of one row while reading its cells.
struct RowCheck {
    line: u64,
    errors: Vec<RowError>,
}

impl RowCheck {
    fn new(line: u64) -> Self {
        RowCheck {
            line,
            errors: Vec::new(),
        }
    }

    fn fault(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(RowError {
            line: self.line,
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// A whole number of XOF (the core then checks its limits).
    fn whole_number(&mut self, field: &str, raw: &str) -> Option<i64> {
        let parsed = raw.parse::<i64>().ok();
        if parsed.is_none() {
            self.fault(field, format!("{raw:?} is not a whole number of XOF"));
        }
        parsed
    }

    /// The row's URL, or the default; the core checks that it is an absolute http(s) URL.
    fn notify_url(&mut self, raw: &str, default: Option<&str>) -> Option<String> {
        let url = if raw.is_empty() {
            default.unwrap_or("")
        } else {
            raw
        };
        if url.is_empty() {
            self.fault(
                "notify_url",
                "no notify_url: fill the column or pass --notify-url",
            );
            return None;
        }
        Some(url.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "phone,prefix,amount,name,surname,email,payment_method,client_transaction_id,notify_url\n";

    #[test]
    fn reads_and_normalises_rows() {
        let csv = format!(
            "{HEADER}+2250701020304,,5000,Awa,Kone,awa@example.com,om,,https://m.example/n\n\
             771234567,221,1000,Moussa,Diop,,,pay-2,\n"
        );
        let rows = read_payouts(
            csv.as_bytes(),
            Some("https://m.example/default"),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].line, rows[0].prefix.as_str(), rows[0].phone.as_str()),
            (2, "225", "0701020304")
        );
        assert_eq!(rows[0].payment_method.as_deref(), Some("OM"));
        assert_eq!(rows[1].notify_url, "https://m.example/default");
        assert_eq!(rows[1].client_transaction_id.as_deref(), Some("pay-2"));
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_line() {
        let csv = format!(
            "{HEADER}0701020304,225,5000,Awa,Kone,,,a,https://m.example/n\n\
             07010,225,5000,Awa,Kone,,,,https://m.example/n\n\
             0701020305,225,5001,,Kone,nope,O M,a,ftp://x\n"
        );
        let errors = read_payouts(csv.as_bytes(), None, &Limits::default()).unwrap_err();
        let mut found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        found.sort();
        assert_eq!(
            found,
            [
                (3, "phone"),
                (4, "amount"),
                (4, "client_transaction_id"),
                (4, "email"),
                (4, "name"),
                (4, "notify_url"),
                (4, "payment_method"),
            ]
        );
    }

    #[test]
    fn header_faults_and_semicolons() {
        let errors = read_payouts(b"phone;ammount;name;surname\n", None, &Limits::default()).unwrap_err();
        assert!(errors
            .iter()
            .any(|e| e.message.contains("unknown column \"ammount\"")));
        assert!(errors
            .iter()
            .any(|e| e.message.contains("missing column \"amount\"")));
    }

    #[test]
    fn duplicate_columns_are_refused() {
        let csv = "phone,prefix,Amount,name,surname, amount\n0701020304,225,500,Awa,Kone,900\n";
        let errors =
            read_payouts(csv.as_bytes(), Some("https://m.example/n"), &Limits::default()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].field.as_str()), (1, "header"));
        assert!(
            errors[0]
                .message
                .contains("\"amount\" appears twice (columns 3 and 6"),
            "{errors:?}"
        );
    }
}
