//! A Python list sent in one call, holding only the chunks in flight (issue 13, item 4).
//!
//! `add_contacts`, `send` and `pay` run the core's streaming engine (`cinetpay_transfer::streaming`)
//! over the caller's sequence: [`Stream`] is the engine's `Source` (each read converts the items
//! of one range from Python, and drops them again) and its sink (each chunk's results become
//! records at once, set by position in a list allocated once with the input's length). Beyond the
//! caller's list and the returned one, a call holds the engine's chunks in flight: no converted
//! copy of the list, no `Vec` of core results (issue 13: 100,000 payouts held three times over).
//!
//! The sequence is read as given when it is a list, a tuple or any other `collections.abc.Sequence`
//! (read by position, so an item may be built on demand); any other iterable (a generator) is made
//! a list once first, because the engine reads every position more than once. An item that cannot
//! be converted keeps its Python exception, which the call raises when it fails for that item:
//! the caller sees the same exception as when the whole list was converted up front.
//!
//! The GIL. Reads and the sink run on the task that drives the call, so that task takes the GIL,
//! once per range (1,000 items for the checks, a chunk when sending) and once per settled chunk.
//! - A sync call drives the engine on the calling thread, which waits with the GIL released
//!   (`blocking`): it takes the GIL back only for these moments, like its Ctrl-C checks. No
//!   deadlock: whoever holds the GIL meanwhile is Python code that does not wait on this call.
//! - An asyncio call is driven by a runtime worker, which therefore waits for the GIL while the
//!   event loop's thread runs Python (at most a switch interval, 5 ms by default, before the
//!   interpreter hands it over; an idle loop waits in `select` with the GIL released). That is the
//!   price of bounded memory: before, results were converted once the future completed, so no
//!   worker ever waited for the GIL, but the list was held converted for the whole call and all
//!   results at once at the end. To keep a busy event loop from stalling other calls' requests,
//!   the wait happens in `block_in_place`: the worker's other tasks move to another thread. No
//!   deadlock either: nothing that holds the GIL waits for a runtime worker (the loop awaits the
//!   call's future, it never blocks on it).
//! - Once the interpreter exits (`runtime::finalize`), no thread calls into Python any more: a
//!   read then fails (nothing more is sent; a payout already read is kept as read).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Mutex;

use cinetpay_transfer::streaming::{self, Source};
use cinetpay_transfer::{Contact, ContactResult, SendResult, Transfer};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyMapping, PySequence, PyString, PyTuple};

use crate::{errors, runtime, types};

/// The caller's items, read by position.
enum Items {
    List(Py<PyList>),
    Tuple(Py<PyTuple>),
    Sequence(Py<PySequence>),
}

/// One call over a Python sequence: the engine's source and sink, and what the call raises.
pub struct Stream<T, R> {
    items: Items,
    len: usize,
    read_one: fn(&Bound<'_, PyAny>, usize, &mut types::Shapes) -> PyResult<T>,
    /// The Python exception of each position that could not be read.
    unreadable: Mutex<HashMap<usize, PyErr>>,
    results: Py<PyList>,
    result: for<'py> fn(Python<'py>, &R) -> PyResult<Bound<'py, PyAny>>,
    /// The first failure to make a result record (the call raises it).
    failed_result: Mutex<Option<PyErr>>,
}

impl Stream<Contact, ContactResult> {
    /// `add_contacts`'s list.
    pub fn contacts(py: Python<'_>, list: &Bound<'_, PyAny>) -> PyResult<Self> {
        Stream::new(py, list, "contacts", types::contact_at, types::contact_result)
    }
}

impl Stream<Transfer, SendResult> {
    /// `send`'s or `pay`'s list.
    pub fn transfers(py: Python<'_>, list: &Bound<'_, PyAny>) -> PyResult<Self> {
        Stream::new(py, list, "transfers", types::transfer_at, types::send_result)
    }
}

impl<T, R> Stream<T, R> {
    fn new(
        py: Python<'_>,
        list: &Bound<'_, PyAny>,
        what: &str,
        read_one: fn(&Bound<'_, PyAny>, usize, &mut types::Shapes) -> PyResult<T>,
        result: for<'py> fn(Python<'py>, &R) -> PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Self> {
        let not_a_list = || errors::validation(py, what, None, format!("{what} must be a list"));
        if list.is_instance_of::<PyString>() || list.cast::<PyMapping>().is_ok() {
            return Err(not_a_list());
        }
        let items = if let Ok(list) = list.cast::<PyList>() {
            Items::List(list.clone().unbind())
        } else if let Ok(tuple) = list.cast::<PyTuple>() {
            Items::Tuple(tuple.clone().unbind())
        } else if let Ok(sequence) = list.cast::<PySequence>() {
            Items::Sequence(sequence.clone().unbind())
        } else {
            let iter = list.try_iter().map_err(|_| not_a_list())?;
            let list = py.get_type::<PyList>().call1((iter,))?.cast_into::<PyList>()?;
            Items::List(list.unbind())
        };
        let len = match &items {
            Items::List(l) => l.bind(py).len(),
            Items::Tuple(t) => t.bind(py).len(),
            Items::Sequence(s) => s.bind(py).len()?,
        };
        let results = PyList::new(py, (0..len).map(|_| py.None()))?.unbind();
        Ok(Stream {
            items,
            len,
            read_one,
            unreadable: Mutex::new(HashMap::new()),
            results,
            result,
            failed_result: Mutex::new(None),
        })
    }

    /// The engine's sink: the records of `results`, set at their positions from `first`.
    pub fn put(&self, first: usize, results: Vec<R>) {
        let failure = with_python(|py| {
            let list = self.results.bind(py);
            for (k, r) in results.iter().enumerate() {
                (self.result)(py, r).and_then(|record| list.set_item(first + k, record))?;
            }
            Ok(())
        })
        .unwrap_or_else(|| Err(PyRuntimeError::new_err("the Python interpreter is exiting")));
        if let Err(e) = failure {
            let mut failed = self.failed_result.lock().unwrap_or_else(|e| e.into_inner());
            failed.get_or_insert(e);
        }
    }

    /// What the call returns: the results in input order, or the exception to raise.
    pub fn finish(
        self,
        py: Python<'_>,
        outcome: cinetpay_transfer::Result<()>,
    ) -> PyResult<Bound<'_, PyAny>> {
        if let Err(e) = outcome {
            // An item kept here is one the core never judged (it could not be read), so the
            // core's error about its position is the one about reading it, whatever list name
            // the core gives.
            let kept = e.index().and_then(|index| {
                self.unreadable
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&index)
            });
            return Err(kept.unwrap_or_else(|| errors::to_pyerr(py, &e)));
        }
        if let Some(e) = self.failed_result.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(e);
        }
        Ok(self.results.into_bound(py).into_any())
    }

    /// The item at `index`: `None` past the end of a list that got shorter (the engine notices).
    fn item<'py>(&self, py: Python<'py>, index: usize) -> Option<PyResult<Bound<'py, PyAny>>> {
        match &self.items {
            Items::List(l) => {
                let l = l.bind(py);
                (index < l.len()).then(|| l.get_item(index))
            }
            Items::Tuple(t) => Some(t.bind(py).get_item(index)),
            Items::Sequence(s) => Some(s.bind(py).get_item(index)),
        }
    }
}

impl<T, R> Source<T> for Stream<T, R> {
    fn len(&self) -> usize {
        self.len
    }

    fn read(&self, range: Range<usize>, each: &mut dyn FnMut(&T)) -> cinetpay_transfer::Result<()> {
        let start = range.start;
        with_python(|py| {
            let mut shapes = types::Shapes::default();
            for index in range {
                let Some(read) = self.item(py, index) else {
                    return Ok(());
                };
                match read.and_then(|obj| (self.read_one)(&obj, index, &mut shapes)) {
                    Ok(item) => each(&item),
                    Err(e) => {
                        let reason = e.to_string();
                        let mut kept = self.unreadable.lock().unwrap_or_else(|e| e.into_inner());
                        kept.entry(index).or_insert(e);
                        return Err(streaming::unreadable(index, &reason));
                    }
                }
            }
            Ok(())
        })
        .unwrap_or_else(|| Err(streaming::unreadable(start, "the Python interpreter is exiting")))
    }
}

/// Runs `f` with the GIL, from whichever thread drives the call; `None` once the interpreter is
/// exiting. On a runtime worker the wait for the GIL is a blocking section (see the module docs).
fn with_python<U>(f: impl for<'py> FnOnce(Python<'py>) -> U) -> Option<U> {
    let _call = runtime::python_call()?;
    Some(tokio::task::block_in_place(|| Python::attach(f)))
}
