//! `Client` (blocking) and `AsyncClient` (asyncio): the core client behind two call styles.
//!
//! Both hold the same [`Shared`] state and run on the one process-wide runtime. A sync call
//! blocks its thread with the GIL released (see `blocking`); an async call returns an asyncio
//! future completed from the runtime, so the event loop never waits on the network.
//! `add_contacts`, `send` and `pay` read the caller's list a chunk at a time and make each chunk's
//! results as it settles (`stream`: memory bounded by the chunks in flight, whatever the length).
//!
//! Fork: the core client's connection pool belongs to the runtime of the process that built it
//! (its pooled connections are driven by tasks of that runtime, and their sockets are shared with
//! the parent). A forked child therefore gets its own core client on its first call
//! (`Client::reconnected`: same settings, credentials and token store, new pools); the parent keeps
//! its own. The token cache starts empty in the child: one extra login, or none when a shared
//! `token_store` (Redis) already holds the token.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cinetpay_transfer::streaming;
use cinetpay_transfer::{Config, Lang, RetryPolicy, Secret, TransferQuery};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::notification::Posted;
use crate::runtime::Shared as Runtime;
use crate::stream::Stream;
use crate::{blocking, errors, types};

/// The core client of the process that uses it.
struct Shared {
    /// The core client of the process `.0`.
    current: Mutex<(u32, cinetpay_transfer::Client)>,
}

impl Shared {
    /// The core client of this process (a fresh one after a fork).
    fn client(&self, py: Python<'_>) -> PyResult<cinetpay_transfer::Client> {
        let pid = std::process::id();
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.0 != pid {
            let fresh = current.1.reconnected().map_err(|e| errors::to_pyerr(py, &e))?;
            *current = (pid, fresh);
        }
        Ok(current.1.clone())
    }

    fn config(&self) -> Config {
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        current.1.config().clone()
    }
}

#[allow(clippy::too_many_arguments)]
fn shared(
    py: Python<'_>,
    api_key: String,
    password: String,
    base_url: Option<String>,
    lang: &str,
    connect_timeout: Option<f64>,
    request_timeout: Option<f64>,
    max_attempts: Option<u32>,
    initial_backoff: Option<f64>,
    max_backoff: Option<f64>,
    chunk_size: Option<usize>,
    max_concurrency: Option<usize>,
    processing_window: Option<f64>,
    token_store: Option<String>,
    limits: Option<Bound<'_, PyAny>>,
) -> PyResult<Arc<Shared>> {
    let seconds = |field: &str, value: Option<f64>, default: Duration| -> PyResult<Duration> {
        match value {
            None => Ok(default),
            Some(s) => Duration::try_from_secs_f64(s).map_err(|_| {
                errors::validation(
                    py,
                    field,
                    None,
                    format!("{field} must be a positive number of seconds"),
                )
            }),
        }
    };
    let defaults = Config::default();
    let config = Config {
        base_url: base_url.unwrap_or(defaults.base_url),
        lang: Lang::parse(lang).map_err(|e| errors::to_pyerr(py, &e))?,
        limits: match limits {
            Some(limits) => types::limits(py, &limits)?,
            None => defaults.limits.clone(),
        },
        connect_timeout: seconds("connect_timeout", connect_timeout, defaults.connect_timeout)?,
        request_timeout: seconds("request_timeout", request_timeout, defaults.request_timeout)?,
        retry: RetryPolicy {
            max_attempts: max_attempts.unwrap_or(defaults.retry.max_attempts),
            initial_backoff: seconds("initial_backoff", initial_backoff, defaults.retry.initial_backoff)?,
            max_backoff: seconds("max_backoff", max_backoff, defaults.retry.max_backoff)?,
        },
        chunk_size: chunk_size.unwrap_or(defaults.chunk_size),
        max_concurrency: max_concurrency.unwrap_or(defaults.max_concurrency),
        processing_window: seconds("processing_window", processing_window, defaults.processing_window)?,
        ..defaults
    };
    let mut builder = cinetpay_transfer::Client::builder()
        .credentials(Secret::new(api_key), Secret::new(password))
        .config(config);
    if let Some(url) = token_store {
        builder = builder.token_store_url(&url);
    }
    let client = builder.build().map_err(|e| errors::to_pyerr(py, &e))?;
    Ok(Arc::new(Shared {
        current: Mutex::new((std::process::id(), client)),
    }))
}

fn repr(name: &str, shared: &Shared) -> String {
    let config = shared.config();
    format!(
        "{name}(base_url={:?}, lang={:?}, api_key='***')",
        config.base_url,
        config.lang.as_str()
    )
}

/// The core's query of exactly one id; its refusal in the client's language.
fn query(
    py: Python<'_>,
    client: &cinetpay_transfer::Client,
    transaction_id: Option<String>,
    client_transaction_id: Option<String>,
    lot: Option<String>,
) -> PyResult<TransferQuery> {
    TransferQuery::one_of(transaction_id, client_transaction_id, lot)
        .map_err(|e| errors::to_pyerr(py, &e.in_lang(client.config().lang)))
}

/// `issue_token`, or `issue_token_after` when the caller had a token already.
async fn issue(
    client: &cinetpay_transfer::Client,
    previous: Option<String>,
) -> cinetpay_transfer::Result<cinetpay_transfer::IssuedToken> {
    match previous {
        Some(previous) => client.issue_token_after(&previous).await,
        None => client.issue_token().await,
    }
}

/// Blocks on a core call (the future `make` returns) and raises its error as an exception.
fn run<T: Send, F>(py: Python<'_>, make: impl FnOnce() -> F + Send) -> PyResult<T>
where
    F: Future<Output = cinetpay_transfer::Result<T>>,
{
    blocking::wait(py, make)?.map_err(|e| errors::to_pyerr(py, &e))
}

/// A result converted to Python once the asyncio future is completed (under the GIL, by
/// pyo3-async-runtimes), so no runtime worker waits for the GIL for it. (`add_contacts`, `send`
/// and `pay` make their records as chunks settle instead: see `stream`.)
struct Reply(Box<dyn Convert>);

/// Builds the Python value of a finished call, given the GIL.
trait Convert: for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>> + Send {}

impl<F> Convert for F where F: for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>> + Send {}

impl<'py> IntoPyObject<'py> for Reply {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        (self.0)(py)
    }
}

/// An asyncio awaitable of a core call; `convert` builds the Python result.
fn spawn<'py, T, F>(
    py: Python<'py>,
    fut: impl Future<Output = cinetpay_transfer::Result<T>> + Send + 'static,
    convert: F,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    F: for<'a> FnOnce(Python<'a>, &T) -> PyResult<Bound<'a, PyAny>> + Send + 'static,
{
    spawn_reply(py, async move {
        let result = fut.await;
        Reply(Box::new(move |py| match result {
            Ok(value) => convert(py, &value),
            Err(e) => Err(errors::to_pyerr(py, &e)),
        }))
    })
}

/// An asyncio awaitable of a future that makes its own [`Reply`].
fn spawn_reply<'py>(
    py: Python<'py>,
    fut: impl Future<Output = Reply> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>> {
    pyo3_async_runtimes::generic::future_into_py::<Runtime, _, _>(py, async move { Ok(fut.await) })
}

fn list(l: PyResult<Bound<'_, PyList>>) -> PyResult<Bound<'_, PyAny>> {
    l.map(Bound::into_any)
}

/// A blocking client of the CinetPay Transfer API, safe to share between threads.
#[pyclass(frozen, module = "cinetpay_transfer")]
pub struct Client {
    shared: Arc<Shared>,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (api_key, password, *, base_url=None, lang="en", connect_timeout=None,
        request_timeout=None, max_attempts=None, initial_backoff=None, max_backoff=None,
        chunk_size=None, max_concurrency=None, processing_window=None, token_store=None, limits=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: String,
        password: String,
        base_url: Option<String>,
        lang: &str,
        connect_timeout: Option<f64>,
        request_timeout: Option<f64>,
        max_attempts: Option<u32>,
        initial_backoff: Option<f64>,
        max_backoff: Option<f64>,
        chunk_size: Option<usize>,
        max_concurrency: Option<usize>,
        processing_window: Option<f64>,
        token_store: Option<String>,
        limits: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let shared = shared(
            py,
            api_key,
            password,
            base_url,
            lang,
            connect_timeout,
            request_timeout,
            max_attempts,
            initial_backoff,
            max_backoff,
            chunk_size,
            max_concurrency,
            processing_window,
            token_store,
            limits,
        )?;
        Ok(Client { shared })
    }

    #[getter]
    fn base_url(&self) -> String {
        self.shared.config().base_url
    }

    fn __repr__(&self) -> String {
        repr("Client", &self.shared)
    }

    fn balance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let client = self.shared.client(py)?;
        let balance = run(py, move || async move { client.balance().await })?;
        types::balance(py, &balance)
    }

    #[pyo3(signature = (*, previous=None))]
    fn issue_token<'py>(&self, py: Python<'py>, previous: Option<String>) -> PyResult<Bound<'py, PyAny>> {
        let client = self.shared.client(py)?;
        let issued = run(py, move || async move { issue(&client, previous).await })?;
        types::issued_token(py, &issued)
    }

    fn add_contacts<'py>(
        &self,
        py: Python<'py>,
        contacts: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let call = Stream::contacts(py, contacts)?;
        let client = self.shared.client(py)?;
        let (client, stream) = (&client, &call);
        let outcome = blocking::wait(py, move || async move {
            streaming::add_contacts(client, stream, &|first, r| stream.put(first, r)).await
        })?;
        call.finish(py, outcome)
    }

    fn send<'py>(&self, py: Python<'py>, transfers: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let call = Stream::transfers(py, transfers)?;
        let client = self.shared.client(py)?;
        let (client, stream) = (&client, &call);
        let outcome = blocking::wait(py, move || async move {
            streaming::send(client, stream, &|first, r| stream.put(first, r)).await
        })?;
        call.finish(py, outcome)
    }

    fn pay<'py>(&self, py: Python<'py>, transfers: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let call = Stream::transfers(py, transfers)?;
        let client = self.shared.client(py)?;
        let (client, stream) = (&client, &call);
        let outcome = blocking::wait(py, move || async move {
            streaming::pay(client, stream, &|first, r| stream.put(first, r)).await
        })?;
        call.finish(py, outcome)
    }

    #[pyo3(signature = (*, transaction_id=None, client_transaction_id=None, lot=None))]
    fn transfer_status<'py>(
        &self,
        py: Python<'py>,
        transaction_id: Option<String>,
        client_transaction_id: Option<String>,
        lot: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let client = self.shared.client(py)?;
        let query = query(py, &client, transaction_id, client_transaction_id, lot)?;
        let infos = run(py, move || async move { client.transfer_status(&query).await })?;
        list(types::transfer_infos(py, &infos))
    }

    fn look_up<'py>(&self, py: Python<'py>, transfer: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let transfer = types::transfer(transfer)?;
        let client = self.shared.client(py)?;
        let found = run(py, move || async move { client.look_up(&transfer).await })?;
        types::payout_lookup(py, &found)
    }

    fn confirm_notification<'py>(
        &self,
        py: Python<'py>,
        notification: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let notification = types::notification(notification)?;
        let client = self.shared.client(py)?;
        let info = run(py, move || async move {
            client.confirm_notification(&notification).await
        })?;
        types::transfer_info(py, &info)
    }

    /// What to answer a request to the notify URL (see `NotificationReply`); never raises for
    /// the request's content.
    #[pyo3(signature = (method, data=None))]
    fn reply_to_notification<'py>(
        &self,
        py: Python<'py>,
        method: String,
        data: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let posted = Posted::read(data)?;
        let client = self.shared.client(py)?;
        let reply = run(py, move || async move {
            Ok::<_, cinetpay_transfer::Error>(posted.reply(&client, &method).await)
        })?;
        types::notification_reply(py, &reply)
    }
}

/// The asyncio client: the same methods as `Client`, as coroutines.
#[pyclass(frozen, module = "cinetpay_transfer")]
pub struct AsyncClient {
    shared: Arc<Shared>,
}

#[pymethods]
impl AsyncClient {
    #[new]
    #[pyo3(signature = (api_key, password, *, base_url=None, lang="en", connect_timeout=None,
        request_timeout=None, max_attempts=None, initial_backoff=None, max_backoff=None,
        chunk_size=None, max_concurrency=None, processing_window=None, token_store=None, limits=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: String,
        password: String,
        base_url: Option<String>,
        lang: &str,
        connect_timeout: Option<f64>,
        request_timeout: Option<f64>,
        max_attempts: Option<u32>,
        initial_backoff: Option<f64>,
        max_backoff: Option<f64>,
        chunk_size: Option<usize>,
        max_concurrency: Option<usize>,
        processing_window: Option<f64>,
        token_store: Option<String>,
        limits: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let shared = shared(
            py,
            api_key,
            password,
            base_url,
            lang,
            connect_timeout,
            request_timeout,
            max_attempts,
            initial_backoff,
            max_backoff,
            chunk_size,
            max_concurrency,
            processing_window,
            token_store,
            limits,
        )?;
        Ok(AsyncClient { shared })
    }

    #[getter]
    fn base_url(&self) -> String {
        self.shared.config().base_url
    }

    fn __repr__(&self) -> String {
        repr("AsyncClient", &self.shared)
    }

    fn balance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let client = self.shared.client(py)?;
        spawn(py, async move { client.balance().await }, |py, b| {
            types::balance(py, b)
        })
    }

    #[pyo3(signature = (*, previous=None))]
    fn issue_token<'py>(&self, py: Python<'py>, previous: Option<String>) -> PyResult<Bound<'py, PyAny>> {
        let client = self.shared.client(py)?;
        spawn(py, async move { issue(&client, previous).await }, |py, t| {
            types::issued_token(py, t)
        })
    }

    fn add_contacts<'py>(
        &self,
        py: Python<'py>,
        contacts: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let call = Stream::contacts(py, contacts)?;
        let client = self.shared.client(py)?;
        spawn_reply(py, async move {
            let outcome = streaming::add_contacts(&client, &call, &|first, r| call.put(first, r)).await;
            Reply(Box::new(move |py| call.finish(py, outcome)))
        })
    }

    fn send<'py>(&self, py: Python<'py>, transfers: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let call = Stream::transfers(py, transfers)?;
        let client = self.shared.client(py)?;
        spawn_reply(py, async move {
            let outcome = streaming::send(&client, &call, &|first, r| call.put(first, r)).await;
            Reply(Box::new(move |py| call.finish(py, outcome)))
        })
    }

    fn pay<'py>(&self, py: Python<'py>, transfers: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let call = Stream::transfers(py, transfers)?;
        let client = self.shared.client(py)?;
        spawn_reply(py, async move {
            let outcome = streaming::pay(&client, &call, &|first, r| call.put(first, r)).await;
            Reply(Box::new(move |py| call.finish(py, outcome)))
        })
    }

    #[pyo3(signature = (*, transaction_id=None, client_transaction_id=None, lot=None))]
    fn transfer_status<'py>(
        &self,
        py: Python<'py>,
        transaction_id: Option<String>,
        client_transaction_id: Option<String>,
        lot: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let client = self.shared.client(py)?;
        let query = query(py, &client, transaction_id, client_transaction_id, lot)?;
        spawn(
            py,
            async move { client.transfer_status(&query).await },
            |py, r| list(types::transfer_infos(py, r)),
        )
    }

    fn look_up<'py>(&self, py: Python<'py>, transfer: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let transfer = types::transfer(transfer)?;
        let client = self.shared.client(py)?;
        spawn(
            py,
            async move { client.look_up(&transfer).await },
            types::payout_lookup,
        )
    }

    fn confirm_notification<'py>(
        &self,
        py: Python<'py>,
        notification: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let notification = types::notification(notification)?;
        let client = self.shared.client(py)?;
        spawn(
            py,
            async move { client.confirm_notification(&notification).await },
            types::transfer_info,
        )
    }

    #[pyo3(signature = (method, data=None))]
    fn reply_to_notification<'py>(
        &self,
        py: Python<'py>,
        method: String,
        data: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let posted = Posted::read(data)?;
        let client = self.shared.client(py)?;
        spawn(
            py,
            async move { Ok::<_, cinetpay_transfer::Error>(posted.reply(&client, &method).await) },
            types::notification_reply,
        )
    }
}
