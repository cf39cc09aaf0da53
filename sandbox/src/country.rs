//! The countries the service pays into: calling prefix, ISO code, plausible phone lengths, payment
//! methods, and how the operator is guessed from a number.
//!
//! Kept as one table so that adding a country or a method is a data change. Phone lengths are the
//! national lengths in use (Côte d'Ivoire and Benin accept both the old 8 digits and the new 10).

/// One country the sandbox can pay into.
#[derive(Debug)]
pub struct Country {
    /// Calling code without `+` (`"225"`).
    pub prefix: &'static str,
    /// ISO 3166 code (`"CI"`), the key of balances.
    pub code: &'static str,
    /// National number lengths accepted as plausible.
    pub phone_lengths: &'static [usize],
    /// `payment_method` values accepted for this country; the first is the default operator.
    pub methods: &'static [&'static str],
    /// Known methods the service refuses (804 OPERATOR_UNAVAILABLE).
    pub refused: &'static [&'static str],
}

/// Every supported country.
#[rustfmt::skip]
pub const COUNTRIES: &[Country] = &[
    Country { prefix: "225", code: "CI", phone_lengths: &[8, 10], methods: &["OM", "FLOOZ", "MOMO", "WAVECI"], refused: &[] },
    Country { prefix: "221", code: "SN", phone_lengths: &[9], methods: &["OMSN", "FREESN", "WAVESN"], refused: &[] },
    Country { prefix: "223", code: "ML", phone_lengths: &[8], methods: &["OMML", "MOOVML"], refused: &[] },
    Country { prefix: "224", code: "GN", phone_lengths: &[9], methods: &["OMGN", "MTNGN"], refused: &[] },
    Country { prefix: "226", code: "BF", phone_lengths: &[8], methods: &["OMBF", "MOOVBF"], refused: &[] },
    Country { prefix: "227", code: "NE", phone_lengths: &[8], methods: &[], refused: &[] },
    Country { prefix: "228", code: "TG", phone_lengths: &[8], methods: &["TMONEYTG", "FLOOZTG"], refused: &[] },
    Country { prefix: "229", code: "BJ", phone_lengths: &[8, 10], methods: &["MTNBJ", "MOOVBJ"], refused: &[] },
    Country { prefix: "237", code: "CM", phone_lengths: &[9], methods: &["MTNCM"], refused: &["OMCM"] },
    Country { prefix: "243", code: "CD", phone_lengths: &[9], methods: &["OMCD", "MPESACD", "AIRTELCD"], refused: &[] },
];

/// The country of a calling prefix.
pub fn by_prefix(prefix: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.prefix == prefix)
}

/// True when `code` is a supported ISO country code.
pub fn is_known_code(code: &str) -> bool {
    COUNTRIES.iter().any(|c| c.code == code)
}

impl Country {
    /// True when `phone` is all digits with a length in use in this country.
    pub fn plausible_phone(&self, phone: &str) -> bool {
        !phone.is_empty()
            && phone.bytes().all(|b| b.is_ascii_digit())
            && self.phone_lengths.contains(&phone.len())
    }

    /// The operator paying `phone` when the merchant names none. Côte d'Ivoire and Senegal are told
    /// apart by their leading digits (CI: 01 Moov, 05 MTN, 07 Orange; SN: 76 Free); elsewhere the
    /// country's first method. Niger has no listed method: its payouts go to `AIRTELNE`.
    pub fn detect_operator(&self, phone: &str) -> &'static str {
        match (self.code, phone.get(..2)) {
            ("CI", Some("01")) => "FLOOZ",
            ("CI", Some("05")) => "MOMO",
            ("SN", Some("76")) => "FREESN",
            _ => self.methods.first().copied().unwrap_or("AIRTELNE"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_operators_and_checks_lengths() {
        let ci = by_prefix("225").unwrap();
        assert_eq!(ci.detect_operator("0102030405"), "FLOOZ");
        assert_eq!(ci.detect_operator("0701020304"), "OM");
        assert!(ci.plausible_phone("0701020304"));
        assert!(ci.plausible_phone("07010203"));
        assert!(!ci.plausible_phone("070102030"));
        assert!(!ci.plausible_phone("07a1020304"));
        assert_eq!(by_prefix("227").unwrap().detect_operator("90000001"), "AIRTELNE");
        assert!(by_prefix("33").is_none());
    }
}
