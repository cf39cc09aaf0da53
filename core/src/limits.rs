//! Country rules as data: calling codes, plausible national number lengths, amount limits.
//!
//! The provider documents little of this (a global 200..1,500,000 XOF range) while public clients
//! apply per-country minimums and round to multiples of 5. Such rules change without notice, so
//! they are a value the merchant can override ([`Limits`]) rather than `if`s in the code.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use crate::error::{Error, Result};
use crate::i18n::Message;

/// What is known of one country the Transfer API serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryRule {
    /// ISO 3166 code, the key of the per-country balance (`"CI"`).
    pub iso: String,
    /// How many digits a national number has (Côte d'Ivoire: 8 in old docs, 10 since 2021).
    pub national_digits: RangeInclusive<usize>,
    /// Smallest payout in XOF.
    pub min_amount: i64,
}

/// Amount and phone rules applied before any request leaves. Overridable per client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Rules by calling code (`"225"`).
    pub countries: BTreeMap<String, CountryRule>,
    /// Minimum for a calling code with no rule.
    pub default_min_amount: i64,
    /// Largest payout in XOF.
    pub max_amount: i64,
    /// Amounts must be a multiple of this (1 disables the rule).
    pub amount_multiple: i64,
    /// National number length for a calling code with no rule.
    pub default_national_digits: RangeInclusive<usize>,
}

impl Default for Limits {
    /// The documented range, and the per-country minimums public clients apply.
    fn default() -> Self {
        let table: [(&str, &str, RangeInclusive<usize>, i64); 10] = [
            ("225", "CI", 8..=10, 200),
            ("221", "SN", 9..=9, 200),
            ("223", "ML", 8..=8, 500),
            ("224", "GN", 8..=9, 1000),
            ("226", "BF", 8..=8, 500),
            ("227", "NE", 8..=8, 200),
            ("228", "TG", 8..=8, 150),
            ("229", "BJ", 8..=10, 500),
            ("237", "CM", 9..=9, 500),
            ("243", "CD", 9..=9, 1000),
        ];
        Limits {
            countries: table
                .into_iter()
                .map(|(prefix, iso, national_digits, min_amount)| {
                    let rule = CountryRule {
                        iso: iso.to_owned(),
                        national_digits,
                        min_amount,
                    };
                    (prefix.to_owned(), rule)
                })
                .collect(),
            default_min_amount: 200,
            max_amount: 1_500_000,
            amount_multiple: 5,
            default_national_digits: 6..=12,
        }
    }
}

impl Limits {
    /// The minimum payout for a calling code.
    pub fn min_amount(&self, prefix: &str) -> i64 {
        self.countries
            .get(prefix)
            .map_or(self.default_min_amount, |rule| rule.min_amount)
    }

    /// The plausible national number lengths for a calling code.
    pub fn national_digits(&self, prefix: &str) -> RangeInclusive<usize> {
        self.countries
            .get(prefix)
            .map_or(self.default_national_digits.clone(), |rule| {
                rule.national_digits.clone()
            })
    }

    /// Checks that the rules can be applied: amounts of at least 1, minimums not above the
    /// maximum, digit ranges of at least one digit, calling codes of 1 to 3 digits. A
    /// [`ClientBuilder`](crate::ClientBuilder) does this before building, so a limit given from
    /// any language fails with the field named (`limits.max_amount`), before any request.
    pub fn check(&self) -> Result<()> {
        let below_one = |field: &str| {
            Error::invalid(
                field,
                None,
                Message::new("setting-below-one").text("field", field),
            )
        };
        let min_above_max = |field: &str, min: i64| {
            let message = Message::new("limit-min-above-max")
                .text("field", field)
                .amount("min", min)
                .amount("max", self.max_amount);
            Error::invalid(field, None, message)
        };
        let digits = |field: &str, range: &RangeInclusive<usize>| {
            if *range.start() >= 1 && range.start() <= range.end() {
                Ok(())
            } else {
                let message = Message::new("limit-digits-invalid").text("field", field);
                Err(Error::invalid(field, None, message))
            }
        };
        for (field, value) in [
            ("limits.default_min_amount", self.default_min_amount),
            ("limits.max_amount", self.max_amount),
            ("limits.amount_multiple", self.amount_multiple),
        ] {
            if value < 1 {
                return Err(below_one(field));
            }
        }
        if self.default_min_amount > self.max_amount {
            return Err(min_above_max(
                "limits.default_min_amount",
                self.default_min_amount,
            ));
        }
        digits("limits.default_national_digits", &self.default_national_digits)?;
        for (prefix, rule) in &self.countries {
            let code_ok = (1..=3).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_digit());
            if !code_ok {
                let message = Message::new("limit-calling-code-invalid").text("prefix", prefix);
                return Err(Error::invalid("limits.countries", None, message));
            }
            let field = |name: &str| format!("limits.countries.{prefix}.{name}");
            if rule.min_amount < 1 {
                return Err(below_one(&field("min_amount")));
            }
            if rule.min_amount > self.max_amount {
                return Err(min_above_max(&field("min_amount"), rule.min_amount));
            }
            digits(&field("national_digits"), &rule.national_digits)?;
        }
        Ok(())
    }

    /// Splits `2250701020304` (digits after `+`) into a known calling code and the rest.
    pub(crate) fn split_international<'a>(&self, digits: &'a str) -> Option<(&'a str, &'a str)> {
        self.countries
            .keys()
            .find(|prefix| digits.starts_with(prefix.as_str()))
            .map(|prefix| digits.split_at(prefix.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn field_of(limits: &Limits) -> Option<String> {
        let err = limits.check().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        err.field().map(str::to_owned)
    }

    #[test]
    fn the_defaults_pass_their_own_check() {
        assert!(Limits::default().check().is_ok());
    }

    #[test]
    fn a_bad_limit_names_its_field() {
        let limits = Limits {
            amount_multiple: 0,
            ..Limits::default()
        };
        assert_eq!(field_of(&limits).as_deref(), Some("limits.amount_multiple"));

        let limits = Limits {
            default_min_amount: 2_000_000,
            ..Limits::default()
        };
        assert_eq!(field_of(&limits).as_deref(), Some("limits.default_min_amount"));

        let mut limits = Limits::default();
        limits.countries.get_mut("225").unwrap().min_amount = 2_000_000;
        assert_eq!(
            field_of(&limits).as_deref(),
            Some("limits.countries.225.min_amount")
        );

        let mut limits = Limits::default();
        limits.countries.get_mut("221").unwrap().national_digits = RangeInclusive::new(9, 3);
        assert_eq!(
            field_of(&limits).as_deref(),
            Some("limits.countries.221.national_digits")
        );

        let limits = Limits {
            default_national_digits: 0..=4,
            ..Limits::default()
        };
        assert_eq!(
            field_of(&limits).as_deref(),
            Some("limits.default_national_digits")
        );

        let mut limits = Limits::default();
        let rule = limits.countries["225"].clone();
        limits.countries.insert("+225".into(), rule);
        assert_eq!(field_of(&limits).as_deref(), Some("limits.countries"));
    }
}
