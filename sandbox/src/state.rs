//! The sandbox's books: merchants, their balances and contacts, tokens, and every payout.
//!
//! All money moves here and only here, under one lock, so a batch is accepted or refused as a whole
//! and a balance can never be debited twice. Per country, `available` is what can be sent and
//! `in_using` what is held by payouts in flight: acceptance moves the amount from the first to the
//! second; VAL lets it leave; REJ moves it back.
//!
//! Nothing a request does here walks the whole ledger: payouts are found through indexes (by
//! `transaction_id`, by merchant and `client_transaction_id`, by lot), the steps still to take wait
//! in a queue ordered by due time, the payouts awaiting confirmation in a set per merchant, and
//! balances move by the amount of each payout. A request costs the same with a million payouts held
//! as with none (issue 13, `examples/fill_and_measure.rs`); only the admin ledger copies them all.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::clock::{millis, Civil};
use crate::codes::{ApiCode, ApiError};
use crate::config::{Delays, MerchantConfig, SandboxConfig};
use crate::country;
use crate::due::DueQueue;
use crate::error::AdminError;
use crate::payout::{Final, LedgerEntry, Payout, SendingStatus, Stepped, TreatmentStatus};
use crate::token::TokenBook;

/// A balance in one country, in the balance answer's shape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryBalance {
    /// `available + in_using`.
    pub amount: u64,
    /// Held by payouts in flight.
    #[serde(rename = "inUsing")]
    pub in_using: u64,
    /// Can be sent.
    pub available: u64,
}

#[derive(Debug, Clone, Copy, Default)]
struct Held {
    available: u64,
    in_using: u64,
}

#[derive(Debug)]
struct Merchant {
    config: MerchantConfig,
    balances: BTreeMap<String, Held>,
    contacts: HashSet<(String, String)>,
    /// Payouts awaiting the merchant's confirmation (PENDING), by index, in acceptance order.
    pending: BTreeSet<usize>,
}

impl Merchant {
    fn new(config: MerchantConfig) -> Self {
        let balances = config
            .balances
            .iter()
            .map(|(c, &available)| {
                (
                    c.clone(),
                    Held {
                        available,
                        in_using: 0,
                    },
                )
            })
            .collect();
        Merchant {
            config,
            balances,
            contacts: HashSet::new(),
            pending: BTreeSet::new(),
        }
    }
}

/// One validated item of a send request.
#[derive(Debug, Clone)]
pub struct SendItem {
    /// Calling prefix.
    pub prefix: String,
    /// National number.
    pub phone: String,
    /// ISO code of the prefix.
    pub country: &'static str,
    /// Amount in XOF.
    pub amount: u64,
    /// The merchant's id.
    pub client_transaction_id: String,
    /// Notification URL.
    pub notify_url: String,
    /// Operator paying it.
    pub operator: String,
}

/// What became of one item of an accepted send request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemResult {
    /// Recorded as a payout.
    Accepted {
        /// The new payout's id.
        transaction_id: String,
        /// The request's batch number.
        lot: String,
    },
    /// Refused on its own (724 or 805); the rest of the batch stands.
    Refused(ApiCode),
}

/// Which payouts a status request asks for.
#[derive(Debug, Clone, Copy)]
pub enum Lookup<'a> {
    /// By the service's id.
    TransactionId(&'a str),
    /// By the merchant's id.
    ClientTransactionId(&'a str),
    /// Every payout of a batch.
    Lot(&'a str),
}

/// The books.
#[derive(Debug)]
pub struct State {
    merchants: Vec<Merchant>,
    /// Tokens issued since the last reset.
    pub tokens: TokenBook,
    payouts: Vec<Payout>,
    by_transaction_id: HashMap<String, usize>,
    by_client_id: HashMap<(String, String), usize>,
    by_lot: HashMap<String, Vec<usize>>,
    due: DueQueue,
    next_lot: u64,
    /// Serial of the last transaction id; only grows, so ids are unique without a lookup.
    serial: u64,
}

impl State {
    /// Fresh books holding the configured merchants.
    pub fn new(config: &SandboxConfig) -> Self {
        State {
            merchants: config.merchants.iter().cloned().map(Merchant::new).collect(),
            tokens: TokenBook::default(),
            payouts: Vec::new(),
            by_transaction_id: HashMap::new(),
            by_client_id: HashMap::new(),
            by_lot: HashMap::new(),
            due: DueQueue::default(),
            next_lot: fastrand::u64(100_000..900_000),
            serial: fastrand::u64(100_000..200_000),
        }
    }

    fn merchant(&self, api_key: &str) -> Result<&Merchant, AdminError> {
        self.merchants
            .iter()
            .find(|m| m.config.api_key == api_key)
            .ok_or_else(|| AdminError::UnknownMerchant(api_key.into()))
    }

    fn merchant_mut(&mut self, api_key: &str) -> Result<&mut Merchant, AdminError> {
        self.merchants
            .iter_mut()
            .find(|m| m.config.api_key == api_key)
            .ok_or_else(|| AdminError::UnknownMerchant(api_key.into()))
    }

    /// The API key of `named`, or of the first merchant when none is named.
    pub fn resolve_merchant(&self, named: Option<&str>) -> Result<String, AdminError> {
        match named {
            Some(key) => self.merchant(key).map(|m| m.config.api_key.clone()),
            None => self
                .merchants
                .first()
                .map(|m| m.config.api_key.clone())
                .ok_or_else(|| AdminError::UnknownMerchant(String::new())),
        }
    }

    /// True when the credentials match a merchant.
    pub fn credentials_valid(&self, api_key: &str, password: &str) -> bool {
        self.merchant(api_key)
            .is_ok_and(|m| m.config.password == password)
    }

    /// A merchant's balance per country.
    pub fn balances(&self, api_key: &str) -> Result<BTreeMap<String, CountryBalance>, AdminError> {
        let m = self.merchant(api_key)?;
        Ok(m.balances
            .iter()
            .map(|(c, h)| {
                let b = CountryBalance {
                    amount: h.available + h.in_using,
                    in_using: h.in_using,
                    available: h.available,
                };
                (c.clone(), b)
            })
            .collect())
    }

    fn take_lot(&mut self) -> String {
        self.next_lot += 1;
        self.next_lot.to_string()
    }

    /// Adds contacts; returns the request's lot and, per item, whether it was already a contact
    /// (an earlier item of the same request counts).
    pub fn add_contacts(
        &mut self,
        api_key: &str,
        phones: &[(String, String)],
    ) -> Result<(String, Vec<bool>), AdminError> {
        let lot = self.take_lot();
        let m = self.merchant_mut(api_key)?;
        let known = phones.iter().map(|key| !m.contacts.insert(key.clone())).collect();
        Ok((lot, known))
    }

    /// Records a send request. Items whose id was used (805) or whose phone is no contact (724) are
    /// refused one by one; if the rest does not fit the available balance of its country, the whole
    /// request is refused with 602 and nothing changes.
    pub fn send(
        &mut self,
        api_key: &str,
        items: Vec<SendItem>,
        now_ms: u64,
        delays: &Delays,
    ) -> Result<Vec<ItemResult>, ApiError> {
        let m = self.merchant(api_key).map_err(|_| ApiCode::InvalidToken)?;
        let whitelisted = m.config.whitelisted;
        let mut seen = HashSet::new();
        let mut needs: BTreeMap<&str, u64> = BTreeMap::new();
        let verdicts: Vec<Option<ApiCode>> = items
            .iter()
            .map(|item| {
                let key = (api_key.to_string(), item.client_transaction_id.clone());
                if self.by_client_id.contains_key(&key) || !seen.insert(key) {
                    Some(ApiCode::ClientTransactionIdExist)
                } else if !m.contacts.contains(&(item.prefix.clone(), item.phone.clone())) {
                    Some(ApiCode::PhoneNotMyContact)
                } else {
                    *needs.entry(item.country).or_default() += item.amount;
                    None
                }
            })
            .collect();
        for (country, need) in &needs {
            let available = m.balances.get(*country).map_or(0, |h| h.available);
            if available < *need {
                return Err(ApiError::with(
                    ApiCode::InsufficientBalance,
                    format!("{country}: disponible {available}, demandé {need}"),
                    format!("{country}: available {available}, requested {need}"),
                ));
            }
        }
        let lot = if needs.is_empty() {
            String::new()
        } else {
            self.take_lot()
        };
        let mut results = Vec::with_capacity(items.len());
        for (item, verdict) in items.into_iter().zip(verdicts) {
            let key = (api_key.to_string(), item.client_transaction_id.clone());
            if let Some(code) = verdict {
                if let Some(&i) = self.by_client_id.get(&key) {
                    self.payouts[i].entry.send_attempts += 1;
                }
                results.push(ItemResult::Refused(code));
                continue;
            }
            let transaction_id = self.new_transaction_id(now_ms);
            let index = self.payouts.len();
            let held = self
                .merchant_mut(api_key)
                .map_err(|_| ApiCode::InvalidToken)?
                .balances
                .entry(item.country.to_string())
                .or_default();
            held.available -= item.amount;
            held.in_using += item.amount;
            let sending_status = if whitelisted {
                SendingStatus::Confirm
            } else {
                SendingStatus::Pending
            };
            if !whitelisted {
                self.merchant_mut(api_key)
                    .map_err(|_| ApiCode::InvalidToken)?
                    .pending
                    .insert(index);
            }
            let entry = LedgerEntry {
                merchant: api_key.to_string(),
                transaction_id: transaction_id.clone(),
                client_transaction_id: item.client_transaction_id,
                lot: lot.clone(),
                prefix: item.prefix,
                phone: item.phone,
                country: item.country.to_string(),
                amount: item.amount,
                operator: item.operator,
                notify_url: item.notify_url,
                treatment_status: TreatmentStatus::New,
                sending_status,
                comment: None,
                accepted_at_ms: now_ms,
                validated_at: None,
                operator_transaction_id: None,
                accepted_count: 1,
                send_attempts: 1,
            };
            self.by_transaction_id.insert(transaction_id.clone(), index);
            self.by_client_id.insert(key, index);
            self.by_lot.entry(lot.clone()).or_default().push(index);
            self.due.schedule(now_ms + millis(delays.to_processing), index);
            self.payouts.push(Payout { entry });
            results.push(ItemResult::Accepted {
                transaction_id,
                lot: lot.clone(),
            });
        }
        Ok(results)
    }

    /// `EA<stamp>.M<serial>`: six digits like the service's for the first 800,000 ids or more,
    /// seven once a sandbox has handed out more (a manual clock may give them all the same stamp).
    fn new_transaction_id(&mut self, now_ms: u64) -> String {
        self.serial += 1;
        format!("EA{}.M{:06}", Civil::from_ms(now_ms).compact(), self.serial)
    }

    /// The merchant's payouts matching a lookup, in acceptance order.
    pub fn find(&self, api_key: &str, lookup: Lookup<'_>) -> Vec<&Payout> {
        let mine = |p: &&Payout| p.entry.merchant == api_key;
        match lookup {
            Lookup::TransactionId(id) => self
                .by_transaction_id
                .get(id)
                .map(|&i| &self.payouts[i])
                .filter(mine)
                .into_iter()
                .collect(),
            Lookup::ClientTransactionId(id) => self
                .by_client_id
                .get(&(api_key.to_string(), id.to_string()))
                .map(|&i| &self.payouts[i])
                .into_iter()
                .collect(),
            Lookup::Lot(lot) => self
                .by_lot
                .get(lot)
                .into_iter()
                .flatten()
                .map(|&i| &self.payouts[i])
                .filter(mine)
                .collect(),
        }
    }

    /// Takes every step that fell due by `now_ms`, earliest first, moving money on final steps.
    /// Returns the payouts that became final (to notify) and the number of steps taken.
    pub fn process_due(&mut self, now_ms: u64, delays: &Delays) -> (Vec<Payout>, usize) {
        let mut finals = Vec::new();
        let mut steps = 0;
        while let Some((at, i)) = self.due.pop_due(now_ms) {
            steps += 1;
            match self.payouts[i].step(at, delays) {
                Stepped::Next(next) => self.due.schedule(next, i),
                Stepped::Idle => {}
                Stepped::Final(outcome) => {
                    let p = self.payouts[i].clone();
                    self.settle(&p, outcome);
                    finals.push(p);
                }
            }
        }
        (finals, steps)
    }

    fn settle(&mut self, p: &Payout, outcome: Final) {
        let Ok(m) = self.merchant_mut(&p.entry.merchant) else {
            return;
        };
        let held = m.balances.entry(p.entry.country.clone()).or_default();
        held.in_using -= p.entry.amount;
        if outcome == Final::Rejected {
            held.available += p.entry.amount;
        }
    }

    /// Confirms a merchant's pending payouts (or just `transaction_id`); returns how many were pending.
    pub fn confirm(
        &mut self,
        api_key: &str,
        transaction_id: Option<&str>,
        now_ms: u64,
        delays: &Delays,
    ) -> Result<usize, AdminError> {
        self.merchant(api_key)?;
        let confirmed: Vec<usize> = match transaction_id {
            None => std::mem::take(&mut self.merchant_mut(api_key)?.pending)
                .into_iter()
                .collect(),
            Some(id) => {
                let i = *self
                    .by_transaction_id
                    .get(id)
                    .filter(|&&i| self.payouts[i].entry.merchant == api_key)
                    .ok_or_else(|| AdminError::UnknownTransaction(id.into()))?;
                let was_pending = self.merchant_mut(api_key)?.pending.remove(&i);
                was_pending.then_some(i).into_iter().collect()
            }
        };
        for &i in &confirmed {
            if self.payouts[i].confirm() {
                if let Stepped::Next(at) = self.payouts[i].step(now_ms, delays) {
                    self.due.schedule(at, i);
                }
            }
        }
        Ok(confirmed.len())
    }

    /// Adds a merchant.
    pub fn add_merchant(&mut self, config: MerchantConfig) -> Result<(), AdminError> {
        if self.merchant(&config.api_key).is_ok() {
            return Err(AdminError::MerchantExists(config.api_key));
        }
        if let Some(bad) = config.balances.keys().find(|c| !country::is_known_code(c)) {
            return Err(AdminError::UnknownCountry(bad.clone()));
        }
        self.merchants.push(Merchant::new(config));
        Ok(())
    }

    /// Sets the available balance of one country (what is held stays held).
    pub fn set_balance(&mut self, api_key: &str, country: &str, available: u64) -> Result<(), AdminError> {
        if !country::is_known_code(country) {
            return Err(AdminError::UnknownCountry(country.into()));
        }
        let m = self.merchant_mut(api_key)?;
        m.balances.entry(country.to_string()).or_default().available = available;
        Ok(())
    }

    /// Every merchant's API key, whitelisting and balances.
    pub fn merchants(&self) -> Vec<MerchantView> {
        self.merchants
            .iter()
            .map(|m| MerchantView {
                api_key: m.config.api_key.clone(),
                whitelisted: m.config.whitelisted,
                balances: self.balances(&m.config.api_key).unwrap_or_default(),
                contacts: m.contacts.len(),
            })
            .collect()
    }

    /// Every payout, in acceptance order.
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.payouts.iter().map(|p| p.entry.clone()).collect()
    }
}

/// A merchant as the admin API shows it (no password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantView {
    /// The merchant's API key.
    pub api_key: String,
    /// Whether payouts skip confirmation.
    pub whitelisted: bool,
    /// Balance per country.
    pub balances: BTreeMap<String, CountryBalance>,
    /// Number of contacts.
    pub contacts: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_ids_stay_unique_past_a_million_in_one_sandbox_second() {
        let mut state = State::new(&SandboxConfig::default());
        state.serial = 999_998;
        let ids: Vec<String> = (0..3)
            .map(|_| state.new_transaction_id(1_530_102_473_000))
            .collect();
        assert_eq!(
            ids,
            [
                "EA180627.122753.M999999",
                "EA180627.122753.M1000000",
                "EA180627.122753.M1000001"
            ]
        );
    }
}
