//! The service's response codes: number, message, HTTP status, and the `description` in both languages.
//!
//! The HTTP statuses are the sandbox's choice (the service documents none, but answers errors with
//! non-2xx statuses): 401 for token and credential problems, 400 for invalid requests, 402 for an
//! insufficient balance, 404 for an unknown transfer, 405 for a wrong HTTP method. 724, 726 and 805
//! travel as per-item codes inside a 200 answer; their statuses here (400, 200, 409) only matter
//! when a fault sends one as a top-level error. The codes no rule of the sandbox produces (-1, 702,
//! 703, 707, 709, 710, 715, 717) exist for faults: 401 for the account and token ones, 400 for
//! 717, 500 for the execution errors.

use axum::http::StatusCode;
use strum::{EnumIter, IntoEnumIterator};

/// The language of `description`, from the `lang` query parameter. French is the default, as the
/// service is French first; anything but `en` gives French.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// `lang=fr` (and the default).
    Fr,
    /// `lang=en`.
    En,
}

impl Lang {
    /// Reads the `lang` query value.
    pub fn parse(value: Option<&str>) -> Lang {
        match value {
            Some(v) if v.eq_ignore_ascii_case("en") => Lang::En,
            _ => Lang::Fr,
        }
    }
}

/// A text in both languages (used for details appended to a description).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// French.
    pub fr: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A bilingual text.
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            fr: fr.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

/// Every code the sandbox produces (the ones its rules never give, through faults only).
/// `EnumIter` lists them for [`ApiCode::from_number`]: a new code is found by its number without
/// a second list to keep in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter)]
pub enum ApiCode {
    /// 0 OPERATION_SUCCES.
    Success,
    /// -1 OPERATION_ERROR (only through a fault).
    OperationError,
    /// 701 INVALID_CREDENTIALS.
    InvalidCredentials,
    /// 702 COULD_NOT_CREATE_TOKEN (only through a fault).
    CouldNotCreateToken,
    /// 703 INVALID_USER (only through a fault).
    InvalidUser,
    /// 704 INVALID_PARAM.
    InvalidParam,
    /// 705 EXPIRED_TOKEN.
    ExpiredToken,
    /// 706 INVALID_TOKEN.
    InvalidToken,
    /// 707 CANT_REFRESH_TOKEN (only through a fault).
    CantRefreshToken,
    /// 708 NOT_ALLOWED.
    NotAllowed,
    /// 709 EXECUTION_ERROR (only through a fault).
    ExecutionError709,
    /// 710 EXECUTION_ERROR (only through a fault).
    ExecutionError710,
    /// 715 UNEXPECTED_ERROR (only through a fault).
    UnexpectedError,
    /// 716 DATA_NOT_VALID.
    DataNotValid,
    /// 717 ERROR_PHONE_NOT_PARTICULAR (only through a fault).
    PhoneNotParticular,
    /// 718 JSON_PARSE_ERROR.
    JsonParseError,
    /// 719 AMOUNT_TOO_SMALL.
    AmountTooSmall,
    /// 720 AMOUNT_TOO_LARGE.
    AmountTooLarge,
    /// 721 OPERATOR_NOT_AVAILABLE.
    OperatorNotAvailable,
    /// 602 INSUFFICIENT_BALANCE.
    InsufficientBalance,
    /// 723 NOT_FOUND.
    NotFound,
    /// 724 ERROR_PHONE_NOT_MY_CONTACT.
    PhoneNotMyContact,
    /// 725 MISSING_NOTIFY_URL.
    MissingNotifyUrl,
    /// 726 ERROR_PHONE_ALREADY_MY_CONTACT.
    PhoneAlreadyMyContact,
    /// 801 INVALID_AMOUNT.
    InvalidAmount,
    /// 802 INVALID_PHONE.
    InvalidPhone,
    /// 804 OPERATOR_UNAVAILABLE.
    OperatorUnavailable,
    /// 805 CLIENT_TRANSACTION_ID_EXIST.
    ClientTransactionIdExist,
}

impl ApiCode {
    /// The numeric code.
    pub fn number(self) -> i64 {
        use ApiCode::*;
        match self {
            Success => 0,
            OperationError => -1,
            InvalidCredentials => 701,
            CouldNotCreateToken => 702,
            InvalidUser => 703,
            InvalidParam => 704,
            ExpiredToken => 705,
            InvalidToken => 706,
            CantRefreshToken => 707,
            NotAllowed => 708,
            ExecutionError709 => 709,
            ExecutionError710 => 710,
            UnexpectedError => 715,
            DataNotValid => 716,
            PhoneNotParticular => 717,
            JsonParseError => 718,
            AmountTooSmall => 719,
            AmountTooLarge => 720,
            OperatorNotAvailable => 721,
            InsufficientBalance => 602,
            NotFound => 723,
            PhoneNotMyContact => 724,
            MissingNotifyUrl => 725,
            PhoneAlreadyMyContact => 726,
            InvalidAmount => 801,
            InvalidPhone => 802,
            OperatorUnavailable => 804,
            ClientTransactionIdExist => 805,
        }
    }

    /// The code numbered `number`, if the sandbox knows it (faults name codes by number).
    pub fn from_number(number: i64) -> Option<ApiCode> {
        ApiCode::iter().find(|c| c.number() == number)
    }

    /// The `message` field.
    pub fn message(self) -> &'static str {
        use ApiCode::*;
        match self {
            Success => "OPERATION_SUCCES",
            OperationError => "OPERATION_ERROR",
            InvalidCredentials => "INVALID_CREDENTIALS",
            CouldNotCreateToken => "COULD_NOT_CREATE_TOKEN",
            InvalidUser => "INVALID_USER",
            InvalidParam => "INVALID_PARAM",
            ExpiredToken => "EXPIRED_TOKEN",
            InvalidToken => "INVALID_TOKEN",
            CantRefreshToken => "CANT_REFRESH_TOKEN",
            NotAllowed => "NOT_ALLOWED",
            ExecutionError709 | ExecutionError710 => "EXECUTION_ERROR",
            UnexpectedError => "UNEXPECTED_ERROR",
            DataNotValid => "DATA_NOT_VALID",
            PhoneNotParticular => "ERROR_PHONE_NOT_PARTICULAR",
            JsonParseError => "JSON_PARSE_ERROR",
            AmountTooSmall => "AMOUNT_TOO_SMALL",
            AmountTooLarge => "AMOUNT_TOO_LARGE",
            OperatorNotAvailable => "OPERATOR_NOT_AVAILABLE",
            InsufficientBalance => "INSUFFICIENT_BALANCE",
            NotFound => "NOT_FOUND",
            PhoneNotMyContact => "ERROR_PHONE_NOT_MY_CONTACT",
            MissingNotifyUrl => "MISSING_NOTIFY_URL",
            PhoneAlreadyMyContact => "ERROR_PHONE_ALREADY_MY_CONTACT",
            InvalidAmount => "INVALID_AMOUNT",
            InvalidPhone => "INVALID_PHONE",
            OperatorUnavailable => "OPERATOR_UNAVAILABLE",
            ClientTransactionIdExist => "CLIENT_TRANSACTION_ID_EXIST",
        }
    }

    /// The HTTP status of a top-level answer with this code.
    pub fn http_status(self) -> StatusCode {
        use ApiCode::*;
        match self {
            Success | PhoneAlreadyMyContact => StatusCode::OK,
            InvalidCredentials | InvalidUser | ExpiredToken | InvalidToken | CantRefreshToken => {
                StatusCode::UNAUTHORIZED
            }
            OperationError | CouldNotCreateToken | ExecutionError709 | ExecutionError710
            | UnexpectedError => StatusCode::INTERNAL_SERVER_ERROR,
            NotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            InsufficientBalance => StatusCode::PAYMENT_REQUIRED,
            NotFound => StatusCode::NOT_FOUND,
            ClientTransactionIdExist => StatusCode::CONFLICT,
            InvalidParam | DataNotValid | JsonParseError | AmountTooSmall | AmountTooLarge
            | OperatorNotAvailable | PhoneNotMyContact | MissingNotifyUrl | InvalidAmount | InvalidPhone
            | OperatorUnavailable | PhoneNotParticular => StatusCode::BAD_REQUEST,
        }
    }

    /// The `description` field in `lang`.
    pub fn description(self, lang: Lang) -> &'static str {
        use ApiCode::*;
        let (fr, en) = match self {
            Success => ("Opération effectuée avec succès", "Operation successful"),
            OperationError => (
                "Erreur lors de l'exécution de la requête",
                "Error while executing the request",
            ),
            InvalidCredentials => ("Identifiants invalides", "Invalid credentials"),
            CouldNotCreateToken => ("Impossible de créer le token", "Could not create the token"),
            InvalidUser => ("Compte marchand invalide", "Invalid merchant account"),
            InvalidParam => ("Paramètres incorrects", "Invalid parameters"),
            ExpiredToken => ("Le token a expiré", "The token has expired"),
            InvalidToken => ("Token invalide", "Invalid token"),
            CantRefreshToken => ("Un nouveau token est nécessaire", "A new token is needed"),
            ExecutionError709 | ExecutionError710 => (
                "Erreur lors de l'exécution de la requête",
                "Error while executing the request",
            ),
            UnexpectedError => ("Erreur inattendue", "Unexpected error"),
            PhoneNotParticular => (
                "Ce numéro n'est pas un compte particulier valide",
                "This number is not a valid personal account",
            ),
            NotAllowed => ("Opération non autorisée", "Operation not allowed"),
            DataNotValid => (
                "Les données envoyées ne sont pas valides",
                "The data sent is not valid",
            ),
            JsonParseError => (
                "Le champ data n'est pas un JSON valide",
                "The data field is not valid JSON",
            ),
            AmountTooSmall => ("Montant inférieur au minimum", "Amount below the minimum"),
            AmountTooLarge => ("Montant supérieur au maximum", "Amount above the maximum"),
            OperatorNotAvailable => ("Opérateur non disponible", "Operator not available"),
            InsufficientBalance => ("Solde de transfert insuffisant", "Insufficient transfer balance"),
            NotFound => ("Aucun résultat", "No result"),
            PhoneNotMyContact => (
                "Ce numéro n'est pas dans vos contacts",
                "This number is not in your contacts",
            ),
            MissingNotifyUrl => ("notify_url absente ou invalide", "notify_url missing or invalid"),
            PhoneAlreadyMyContact => (
                "Ce numéro est déjà dans vos contacts",
                "This number is already in your contacts",
            ),
            InvalidAmount => ("Montant invalide", "Invalid amount"),
            InvalidPhone => ("Numéro de téléphone invalide", "Invalid phone number"),
            OperatorUnavailable => ("Opérateur pas encore supporté", "Operator not yet supported"),
            ClientTransactionIdExist => (
                "Ce client_transaction_id existe déjà",
                "This client_transaction_id already exists",
            ),
        };
        match lang {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

/// An error answer about to be sent: a code and an optional detail appended to its description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The code.
    pub code: ApiCode,
    /// What exactly was wrong (e.g. which item), appended to the description.
    pub detail: Option<Text>,
}

impl ApiError {
    /// An error without detail.
    pub fn new(code: ApiCode) -> Self {
        ApiError { code, detail: None }
    }

    /// An error with a detail.
    pub fn with(code: ApiCode, fr: impl Into<String>, en: impl Into<String>) -> Self {
        ApiError {
            code,
            detail: Some(Text::new(fr, en)),
        }
    }

    /// The full `description` in `lang`.
    pub fn description(&self, lang: Lang) -> String {
        let base = self.code.description(lang);
        match &self.detail {
            Some(d) => format!("{base}: {}", d.get(lang)),
            None => base.to_string(),
        }
    }
}

impl From<ApiCode> for ApiError {
    fn from(code: ApiCode) -> Self {
        ApiError::new(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_found_by_its_number_and_unknown_numbers_are_not() {
        for code in ApiCode::iter() {
            assert_eq!(ApiCode::from_number(code.number()), Some(code));
        }
        assert_eq!(ApiCode::from_number(-1), Some(ApiCode::OperationError));
        assert_eq!(ApiCode::from_number(711), None);
    }
}
