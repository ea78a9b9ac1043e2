//! The per-request id the fake puts in `x-request-id` and in error `details`, carried in a
//! task-local so error bodies built deep inside a handler can name it.

use std::future::Future;

tokio::task_local! {
    static REQUEST_ID: String;
}

pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

pub async fn scope<F: Future>(id: String, work: F) -> F::Output {
    REQUEST_ID.scope(id, work).await
}
