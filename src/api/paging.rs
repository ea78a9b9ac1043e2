//! Reading whole lists: `page_token` paging to the end, and SCIM paging that does not trust
//! `count` (the real service caps pages), advances by what came back, fetches the remaining
//! pages concurrently once the first reveals `totalResults`, and de-duplicates by id.

use std::collections::HashSet;
use std::sync::Arc;

use futures_util::{FutureExt, StreamExt};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_util::task::AbortOnDropHandle;

use super::client::{AccountClient, Call};
use super::error::{ApiError, ApiErrorKind};

/// The SCIM list parameters a caller may set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScimQuery {
    pub filter: Option<String>,
    /// Comma-separated; lists default to a minimal set (no `members`/`roles` on big lists).
    pub attributes: Option<String>,
    pub excluded_attributes: Option<String>,
    pub sort_by: Option<String>,
    pub descending: bool,
}

/// One page of a streamed SCIM list, already de-duplicated against earlier pages.
#[derive(Debug, Clone, PartialEq)]
pub struct ScimPage<T> {
    pub items: Vec<T>,
    /// `totalResults` as the server last reported it.
    pub total: usize,
    /// Items delivered so far, this page included.
    pub delivered: usize,
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct RawListResponse<T> {
    #[serde(rename = "totalResults", default)]
    total_results: Option<usize>,
    #[serde(rename = "Resources", default = "Option::default")]
    resources: Option<Vec<T>>,
}

/// Only the ids of a page's resources, in order; everything else is skipped unparsed.
#[derive(Deserialize)]
struct RawPageIds {
    #[serde(rename = "Resources", default)]
    resources: Option<Vec<RawId>>,
}

/// SCIM resources carry their id as a string field `id`.
#[derive(Deserialize)]
struct RawId {
    #[serde(default)]
    id: Option<Value>,
}

/// A page as fetched: each item with its id (for de-duplication), and `totalResults`.
struct FetchedPage<T> {
    items: Vec<(Option<String>, T)>,
    total: Option<usize>,
}

impl AccountClient {
    /// Every item of a `page_token`-paged list (`items_key` names the array: `apps`,
    /// `secrets`, `policies`).
    pub async fn list_token_paged<T: DeserializeOwned>(
        &self,
        base: Call,
        items_key: &str,
    ) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        let mut seen_tokens = HashSet::new();
        loop {
            let call = base.clone().query_opt("page_token", token.as_deref());
            let mut page: serde_json::Map<String, Value> = self.json(call).await?;
            let batch = match page.remove(items_key) {
                None | Some(Value::Null) => Vec::new(),
                Some(value) => serde_json::from_value::<Vec<T>>(value).map_err(|e| {
                    ApiError::new(
                        base.method.as_str(),
                        &base.path,
                        ApiErrorKind::Decode(e.to_string()),
                    )
                })?,
            };
            items.extend(batch);
            token = page
                .get("next_page_token")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map(str::to_owned);
            match &token {
                None => return Ok(items),
                // A server that hands out the same token twice would loop forever.
                Some(t) if !seen_tokens.insert(t.clone()) => {
                    return Err(ApiError::new(
                        base.method.as_str(),
                        &base.path,
                        ApiErrorKind::Decode(format!("the server repeated page_token '{t}'")),
                    ));
                }
                Some(_) => {}
            }
        }
    }

    /// Streams a SCIM list page by page (`resource` is `Users`, `Groups` or
    /// `ServicePrincipals`). Dropping the receiver stops the fetching.
    pub fn stream_scim<T>(
        &self,
        resource: &str,
        query: ScimQuery,
    ) -> mpsc::Receiver<Result<ScimPage<T>, ApiError>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let (sender, receiver) = mpsc::channel(4);
        let client = self.clone();
        let path = self.account_path(&format!("/scim/v2/{resource}"));
        tokio::spawn(async move {
            tokio::select! {
                // Nobody reads any more (the pane was left): stop now, not at the next page,
                // so the fetches under way are aborted and free their lanes.
                () = sender.closed() => {}
                paged = client.page_through(&path, &query, &sender) => {
                    if let Err(error) = paged {
                        let _ = sender.send(Err(error)).await;
                    }
                }
            }
        });
        receiver
    }

    /// Every item of a SCIM list.
    pub async fn list_scim<T>(&self, resource: &str, query: ScimQuery) -> Result<Vec<T>, ApiError>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let mut receiver = self.stream_scim::<T>(resource, query);
        let mut items = Vec::new();
        while let Some(page) = receiver.recv().await {
            items.extend(page?.items);
        }
        Ok(items)
    }

    fn scim_call(&self, path: &str, query: &ScimQuery, start_index: usize, count: usize) -> Call {
        Call::get(path)
            .query_opt("filter", query.filter.as_deref())
            .query_opt("attributes", query.attributes.as_deref())
            .query_opt("excludedAttributes", query.excluded_attributes.as_deref())
            .query_opt("sortBy", query.sort_by.as_deref())
            .query_opt(
                "sortOrder",
                query.sort_by.as_ref().map(|_| {
                    if query.descending {
                        "descending"
                    } else {
                        "ascending"
                    }
                }),
            )
            .query("startIndex", start_index)
            .query("count", count)
    }

    async fn fetch_page<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &ScimQuery,
        start: usize,
        count: usize,
    ) -> Result<FetchedPage<T>, ApiError> {
        let body = self
            .execute(self.scim_call(path, query, start, count))
            .await?;
        let decode =
            |e: serde_json::Error| ApiError::new("GET", path, ApiErrorKind::Decode(e.to_string()));
        // The ids are skimmed first so that each item is decoded once, straight into `T`:
        // pages of large accounts are megabytes, and decoding them is most of a list's CPU.
        let ids: RawPageIds = serde_json::from_slice(&body).map_err(decode)?;
        let page: RawListResponse<T> = serde_json::from_slice(&body).map_err(decode)?;
        let mut ids = ids.resources.unwrap_or_default().into_iter();
        let items = page
            .resources
            .unwrap_or_default()
            .into_iter()
            .map(|item| {
                let id = ids.next().and_then(|raw| match raw.id {
                    Some(Value::String(id)) => Some(id),
                    _ => None,
                });
                (id, item)
            })
            .collect();
        Ok(FetchedPage {
            items,
            total: page.total_results,
        })
    }

    async fn page_through<T: DeserializeOwned + Send + 'static>(
        &self,
        path: &str,
        query: &ScimQuery,
        sender: &mpsc::Sender<Result<ScimPage<T>, ApiError>>,
    ) -> Result<(), ApiError> {
        let asked = self.config().scim_page_size.max(1);
        let mut pager = Pager {
            seen: HashSet::new(),
            delivered: 0,
            total: 0,
            sender,
        };
        let FetchedPage {
            items: first,
            total,
        } = self.fetch_page::<T>(path, query, 1, asked).await?;
        let page_size = first.len();
        pager.total = total.unwrap_or(page_size);
        if !pager.emit(first).await? || page_size == 0 {
            return Ok(());
        }
        let mut next_start = 1 + page_size;
        if total.is_some() {
            // The server's real page size is what it returned; plan the rest from the total
            // and fetch those pages concurrently, delivered in order.
            let starts: Vec<usize> = (1..)
                .map(|k| 1 + k * page_size)
                .take_while(|s| *s <= pager.total)
                .collect();
            // Each page is fetched by a task of its own. While delivery waits for a slow
            // receiver the stream is not polled, and a fetch that is not polled keeps its
            // request lane (`max_in_flight`) after its answer came: every other request of
            // the client would queue behind a list nobody is reading. Dropped, they abort.
            let shared = Arc::new((self.clone(), path.to_owned(), query.clone()));
            let mut pages = futures_util::stream::iter(starts)
                .map(|start| {
                    let shared = Arc::clone(&shared);
                    let fetch = AbortOnDropHandle::new(tokio::spawn(async move {
                        let (client, path, query) = &*shared;
                        client.fetch_page(path, query, start, page_size).await
                    }));
                    fetch.map(move |joined| (start, joined))
                })
                .buffered(self.config().scim_concurrency.max(1));
            while let Some((start, joined)) = pages.next().await {
                // A fetch that panicked (or a runtime shutting down) is an error the reader
                // sees: ending quietly would pass a partial list off as the whole.
                let result = joined.unwrap_or_else(|error| {
                    Err(ApiError::new(
                        "GET",
                        path,
                        ApiErrorKind::Connect(format!("the page at {start} was not read: {error}")),
                    ))
                });
                let FetchedPage { items, total } = result?;
                pager.note_total(total);
                next_start = start + items.len();
                if !pager.emit(items).await? {
                    return Ok(());
                }
            }
        }
        // Without a total, or if items were added while paging, continue from where the
        // last page ended until the server returns an empty page.
        while total.is_none() || next_start <= pager.total {
            let FetchedPage { items, total } = self
                .fetch_page::<T>(path, query, next_start, page_size)
                .await?;
            pager.note_total(total);
            if items.is_empty() {
                break;
            }
            next_start += items.len();
            if !pager.emit(items).await? {
                return Ok(());
            }
        }
        Ok(())
    }
}

struct Pager<'a, T> {
    seen: HashSet<String>,
    delivered: usize,
    total: usize,
    sender: &'a mpsc::Sender<Result<ScimPage<T>, ApiError>>,
}

impl<T> Pager<'_, T> {
    fn note_total(&mut self, total: Option<usize>) {
        if let Some(total) = total {
            self.total = self.total.max(total);
        }
    }

    /// Sends the new items of a page; `false` when the receiver is gone.
    async fn emit(&mut self, page: Vec<(Option<String>, T)>) -> Result<bool, ApiError> {
        let mut items = Vec::with_capacity(page.len());
        for (id, item) in page {
            // Items shift while paging; the SDK also de-duplicates by id.
            if let Some(id) = id
                && !self.seen.insert(id)
            {
                continue;
            }
            items.push(item);
        }
        self.delivered += items.len();
        self.total = self.total.max(self.delivered);
        let page = ScimPage {
            items,
            total: self.total,
            delivered: self.delivered,
        };
        Ok(self.sender.send(Ok(page)).await.is_ok())
    }
}
