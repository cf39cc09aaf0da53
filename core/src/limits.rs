//! Country rules as data: calling codes, plausible national number lengths, amount limits.
//!
//! The provider documents little of this (a global 200..1,500,000 XOF range) while public clients
//! apply per-country minimums and round to multiples of 5. Such rules change without notice, so
//! they are a value the merchant can override ([`Limits`]) rather than `if`s in the code.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

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

    /// Splits `2250701020304` (digits after `+`) into a known calling code and the rest.
    pub(crate) fn split_international<'a>(&self, digits: &'a str) -> Option<(&'a str, &'a str)> {
        self.countries
            .keys()
            .find(|prefix| digits.starts_with(prefix.as_str()))
            .map(|prefix| digits.split_at(prefix.len()))
    }
}
