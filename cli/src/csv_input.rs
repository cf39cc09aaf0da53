//! Reading payout and contact CSV files, and checking every row before anything is sent.
//!
//! A finance team's spreadsheet has many rows and, often, several mistakes: reporting them one at a
//! time would take as many runs. So every row is checked and every fault reported with its line
//! number and column. What a cell must be (phone, amount limits, URL, ids, operator code, e-mail)
//! is the core's rule, applied by `validate_transfers` / `validate_contacts`; this module only adds
//! what is about the file: columns, whole-number cells, the `--notify-url` default.
//!
//! Files may start with a UTF-8 BOM and may use `;` as separator (spreadsheets in French locales).
//! Rows are read one record at a time (`PayoutReader`), so a file of any size is checked in
//! bounded memory; the line of each record is the one an editor shows (`csv_lines.rs`).

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Read};

use cinetpay_transfer::{normalize_phone, validate_contacts, validate_transfers, Contact, Limits, Transfer};
use serde::Serialize;

use crate::csv_lines::LineTracking;
use crate::i18n::{t, text};

/// A fault of one cell (or of the file, at line 1 for the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = text(self.line);
        let (field, message) = (text(&self.field), text(&self.message));
        f.write_str(&t!(
            "csv-row-error",
            line = line,
            field = field,
            message = message
        ))
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

pub(crate) const PAYOUT_COLUMNS: &[&str] = &[
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

/// Reads and checks a whole payout file in memory (`--dry-run`, tests); `default_notify_url`
/// fills empty `notify_url` cells.
pub fn read_payouts(
    data: &[u8],
    default_notify_url: Option<&str>,
    limits: &Limits,
) -> Result<Vec<PayoutRow>, Vec<RowError>> {
    let mut rows = Vec::new();
    check_payouts(data, default_notify_url, limits, |row| rows.push(row))?;
    Ok(rows)
}

/// Checks a whole payout file in one streaming pass, handing each valid row to `each` as it is
/// read: the file is refused (every fault, by line) or all its rows were handed over. Memory is
/// one record at a time, plus the file's own ids (to find one used twice).
pub fn check_payouts(
    data: impl Read,
    default_notify_url: Option<&str>,
    limits: &Limits,
    mut each: impl FnMut(PayoutRow),
) -> Result<(), Vec<RowError>> {
    let mut errors = Vec::new();
    let mut any = false;
    for row in PayoutReader::new(data, default_notify_url, limits)? {
        match row {
            Ok(row) if errors.is_empty() => {
                any = true;
                each(row);
            }
            Ok(_) => any = true,
            Err(faults) => errors.extend(faults),
        }
    }
    if !any && errors.is_empty() {
        errors.push(RowError {
            line: 2,
            field: "file".into(),
            message: t!("csv-no-payouts"),
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// The rows of a payout file, one at a time: each valid and normalised, or its faults.
pub struct PayoutReader<'a, R: Read> {
    records: Records<R>,
    default_notify_url: Option<&'a str>,
    limits: &'a Limits,
    /// The file's own ids and the line of each (an id used twice is a fault of the second line).
    own_ids: HashMap<String, u64>,
}

impl<'a, R: Read> PayoutReader<'a, R> {
    /// Reads the header; a bad header (or an unreadable file) is refused with every fault.
    pub fn new(
        data: R,
        default_notify_url: Option<&'a str>,
        limits: &'a Limits,
    ) -> Result<Self, Vec<RowError>> {
        Ok(PayoutReader {
            records: Records::new(data, PAYOUT_COLUMNS, PAYOUT_REQUIRED)?,
            default_notify_url,
            limits,
            own_ids: HashMap::new(),
        })
    }

    fn check(&mut self, record: &Record) -> Result<PayoutRow, Vec<RowError>> {
        let limits = self.limits;
        let mut check = RowCheck::new(record.line);
        let amount = check.whole_number("amount", record.get("amount"));
        let notify_url = check.notify_url(record.get("notify_url"), self.default_notify_url);
        let optional = |column: &str| Some(record.get(column).to_owned()).filter(|v| !v.is_empty());
        // The payee is judged as the contact the row registers; the transfer's own rules do not
        // read it, so it is not copied into the transfer.
        let contact = Contact {
            prefix: record.get("prefix").to_owned(),
            phone: record.get("phone").to_owned(),
            name: record.get("name").to_owned(),
            surname: record.get("surname").to_owned(),
            email: record.get("email").to_owned(),
        };
        let transfer = Transfer {
            prefix: contact.prefix.clone(),
            phone: contact.phone.clone(),
            amount: amount.unwrap_or(0),
            notify_url: notify_url.unwrap_or_default(),
            client_transaction_id: optional("client_transaction_id"),
            payment_method: optional("payment_method"),
            name: None,
            surname: None,
            email: None,
        };
        self.judge(&mut check, &transfer, &contact, amount.is_some());
        if !check.errors.is_empty() {
            return Err(check.errors);
        }
        let (prefix, phone) = normalize_phone(&transfer.prefix, &transfer.phone, limits).map_err(|e| {
            vec![RowError {
                line: record.line,
                field: "phone".into(),
                message: e.in_lang(crate::i18n::lang()).detail().to_owned(),
            }]
        })?;
        Ok(PayoutRow {
            line: record.line,
            prefix,
            phone,
            amount: transfer.amount,
            name: contact.name,
            surname: contact.surname,
            email: Some(contact.email).filter(|e| !e.is_empty()),
            payment_method: transfer.payment_method.map(|m| m.to_ascii_uppercase()),
            client_transaction_id: transfer.client_transaction_id,
            notify_url: transfer.notify_url,
        })
    }
}

impl<R: Read> PayoutReader<'_, R> {
    /// The core's rules for every cell it can judge (cells the file could not give it, such as an
    /// amount that is not a number, are faults already), and an id the file uses twice.
    fn judge(&mut self, check: &mut RowCheck, transfer: &Transfer, contact: &Contact, amount_read: bool) {
        let judged = [
            validate_transfers(std::slice::from_ref(transfer), self.limits),
            validate_contacts(std::slice::from_ref(contact), self.limits),
        ];
        for fault in judged.into_iter().flatten() {
            let field = fault.field().unwrap_or("row");
            let already = check.errors.iter().any(|e| e.field == field);
            if !already && (amount_read || field != "amount") {
                check.fault(field, fault.clone().in_lang(crate::i18n::lang()).detail());
            }
        }
        if let Some(id) = &transfer.client_transaction_id {
            let first = *self.own_ids.entry(id.clone()).or_insert(check.line);
            if first != check.line {
                check.fault(
                    "client_transaction_id",
                    t!("csv-id-reused", id = text(format!("{id:?}")), first = text(first)),
                );
            }
        }
    }
}

impl<R: Read> Iterator for PayoutReader<'_, R> {
    type Item = Result<PayoutRow, Vec<RowError>>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(match self.records.next()? {
            Ok(record) => {
                let checked = self.check(&record);
                self.records.recycle(record);
                checked
            }
            Err(fault) => Err(vec![fault]),
        })
    }
}

/// Reads and checks a contacts file (columns phone, prefix, name, surname, email).
pub fn read_contacts(data: &[u8], limits: &Limits) -> Result<Vec<Contact>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut contacts = Vec::new();
    for record in Records::new(data, CONTACT_COLUMNS, CONTACT_REQUIRED)? {
        let record = match record {
            Ok(record) => record,
            Err(fault) => {
                errors.push(fault);
                continue;
            }
        };
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
            message: fault.clone().in_lang(crate::i18n::lang()).detail().to_owned(),
        }));
    }
    if errors.is_empty() && !contacts.is_empty() {
        Ok(contacts)
    } else if errors.is_empty() {
        Err(vec![RowError {
            line: 2,
            field: "file".into(),
            message: t!("csv-no-contacts"),
        }])
    } else {
        Err(errors)
    }
}

/// A data row: its line and its cells, in the header's order (read trimmed: `get`).
struct Record {
    line: u64,
    record: csv::StringRecord,
    columns: std::rc::Rc<[String]>,
}

impl Record {
    fn get(&self, column: &str) -> &str {
        self.columns
            .iter()
            .position(|c| c == column)
            .and_then(|i| self.record.get(i))
            .map_or("", str::trim)
    }
}

/// A file whose header line was read first (to choose the separator), then given back.
type HeaderThenRest<R> = io::Chain<io::Cursor<Vec<u8>>, io::BufReader<R>>;

/// The non-empty records of a CSV file whose header was checked against the known and required
/// columns; each record, or the fault that made it unreadable.
struct Records<R: Read> {
    reader: csv::Reader<LineTracking<HeaderThenRest<R>>>,
    columns: std::rc::Rc<[String]>,
    /// Set after an I/O error: the rest of the file cannot be read.
    ended: bool,
    /// The buffers of a record already handled (`recycle`), read into again: a record allocated
    /// for each row, and trimmed by the reader into new buffers, was a sixth of checking a file.
    spare: csv::StringRecord,
}

impl<R: Read> Records<R> {
    /// Gives back a record handled, whose buffers the next one is read into.
    fn recycle(&mut self, record: Record) {
        self.spare = record.record;
    }

    /// Reads the header (detecting `;` and dropping a UTF-8 BOM); a bad header is refused with
    /// every fault of the header and every unreadable record of the file.
    fn new(data: R, known: &[&str], required: &[&str]) -> Result<Self, Vec<RowError>> {
        let header_fault = |message: String| RowError {
            line: 1,
            field: "header".into(),
            message,
        };
        // The header line decides the separator; it is read first, then given back to the parser.
        let mut data = io::BufReader::new(data);
        let mut first = Vec::new();
        io::BufRead::read_until(&mut data, b'\n', &mut first)
            .map_err(|e| vec![header_fault(t!("csv-unreadable-file", reason = text(e)))])?;
        let first = match first.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => rest.to_vec(),
            None => first,
        };
        let delimiter = if first.contains(&b';') && !first.contains(&b',') {
            b';'
        } else {
            b','
        };
        let data = io::Cursor::new(first).chain(data);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(LineTracking::new(data));
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| vec![header_fault(t!("csv-unreadable-header", reason = text(e)))])?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let mut errors: Vec<RowError> = duplicate_columns(&headers)
            .into_iter()
            .map(header_fault)
            .collect();
        errors.extend(headers.iter().filter(|h| !known.contains(&h.as_str())).map(|h| {
            header_fault(t!(
                "csv-unknown-column",
                column = text(format!("{h:?}")),
                known = text(known.join(", "))
            ))
        }));
        errors.extend(
            required
                .iter()
                .filter(|r| !headers.iter().any(|h| h == *r))
                .map(|r| header_fault(t!("csv-missing-column", column = text(format!("{r:?}"))))),
        );
        let records = Records {
            reader,
            columns: headers.into(),
            ended: false,
            spare: csv::StringRecord::new(),
        };
        if errors.is_empty() {
            return Ok(records);
        }
        errors.extend(records.filter_map(Result::err));
        Err(errors)
    }
}

impl<R: Read> Iterator for Records<R> {
    type Item = Result<Record, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.ended {
            let mut record = std::mem::take(&mut self.spare);
            let read = self.reader.read_record(&mut record);
            let byte = match &read {
                Err(e) => e.position().map(csv::Position::byte),
                Ok(_) => record.position().map(csv::Position::byte),
            }
            .unwrap_or_else(|| self.reader.position().byte());
            let line = self.reader.get_mut().line_at(byte);
            let fault = |message: String| RowError {
                line,
                field: "row".into(),
                message,
            };
            match read {
                Ok(false) => return None,
                Err(e) => {
                    // An I/O error ends the file; a bad record does not end the others.
                    self.ended = matches!(e.kind(), csv::ErrorKind::Io(_));
                    return Some(Err(fault(t!("csv-unreadable", reason = text(e)))));
                }
                Ok(true) if record.iter().all(|cell| cell.trim().is_empty()) => {
                    self.spare = record;
                    continue;
                }
                Ok(true) if record.len() > self.columns.len() => {
                    return Some(Err(fault(t!(
                        "csv-too-many-cells",
                        cells = text(record.len()),
                        columns = text(self.columns.len())
                    ))));
                }
                Ok(true) => {
                    return Some(Ok(Record {
                        line,
                        record,
                        columns: self.columns.clone(),
                    }))
                }
            }
        }
        None
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
                t!(
                    "csv-column-twice",
                    column = text(format!("{h:?}")),
                    first = text(at + 1),
                    second = text(i + 1)
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
            self.fault(field, t!("csv-not-whole", raw = text(format!("{raw:?}"))));
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
            self.fault("notify_url", t!("csv-no-notify-url"));
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
