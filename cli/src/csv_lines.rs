//! The line of the file each CSV record starts on, as a person counts them in an editor.
//!
//! Every fault of a payout file is reported as `line N, field: reason`, so N must be the line the
//! user sees. The `csv` crate's own line numbers are off in two common cases: after a CRLF line
//! that ends with a quoted cell (it reports the line before), and after blank lines (which it
//! skips without counting). Its byte offsets are right, except that a record's offset may point
//! at the line breaks before it. So this reader, which the CSV parser reads through, remembers
//! where the line breaks are, and turns a record's byte offset into its line: the line breaks
//! before the offset, plus those the record starts with. It keeps only the breaks the parser has
//! read ahead and not yet asked about (offsets are asked in increasing order), so memory stays
//! bounded by the parser's buffer and the record being read.

use std::collections::VecDeque;
use std::io::{self, Read};

pub struct LineTracking<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Offsets of `\r` and `\n` bytes not yet passed, with whether each is a `\n`.
    breaks: VecDeque<(u64, bool)>,
    /// `\n` bytes already passed.
    newlines: u64,
}

impl<R: Read> LineTracking<R> {
    pub fn new(inner: R) -> Self {
        LineTracking {
            inner,
            offset: 0,
            breaks: VecDeque::new(),
            newlines: 0,
        }
    }

    /// The 1-based line of the record the parser reports at `byte`; call with offsets that never
    /// decrease.
    pub fn line_at(&mut self, byte: u64) -> u64 {
        let mut at = byte;
        while let Some(&(offset, newline)) = self.breaks.front() {
            // Breaks before the offset, then the ones the record starts with.
            if offset > at {
                break;
            }
            if offset == at {
                at += 1;
            }
            self.newlines += u64::from(newline);
            self.breaks.pop_front();
        }
        self.newlines + 1
    }
}

impl<R: Read> Read for LineTracking<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                self.breaks.push_back((self.offset + i as u64, b == b'\n'));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of each record as the parser reports them, through the tracker.
    fn lines(data: &str) -> Vec<u64> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(LineTracking::new(data.as_bytes()));
        let mut record = csv::StringRecord::new();
        let mut found = Vec::new();
        while reader.read_record(&mut record).unwrap() {
            let byte = record.position().unwrap().byte();
            found.push(reader.get_mut().line_at(byte));
        }
        found
    }

    #[test]
    fn crlf_quotes_blank_lines_and_multiline_cells() {
        assert_eq!(lines("h,a\n1,\"2\"\n3,4\n"), [2, 3]);
        // The csv crate says 1 and 2 here.
        assert_eq!(lines("h,a\r\n1,\"2\"\r\n3,4\r\n"), [2, 3]);
        // ... and 2 and 5 here.
        assert_eq!(lines("h,a\n\n\n1,2\n\r\n3,4"), [4, 6]);
        assert_eq!(lines("h,a\r\n\r\n1,\"2\"\r\n\r\n3,4\r\n"), [3, 5]);
        assert_eq!(lines("h,a\n1,\"two\nlines\"\n3,4\n"), [2, 4]);
    }
}
