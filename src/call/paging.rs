//! Listings that span pages: `{"results": [...], "totalCount": N, "links"}`
//! asked for with `pageNum`, `itemsPerPage` and `includeCount`.
//!
//! [`Cursor`] decides, without I/O, which page to ask for next and when to
//! stop, so that a listing always ends whatever the server sends: at
//! `totalCount`, at an empty or short page, never by going round a page the
//! server sends twice, and after at most `ceil(totalCount / pageSize) + 1`
//! requests. [`Listing`] drives it, holding one page in memory at a time.

use super::{decode, CallOptions};
use crate::response::Success;
use crate::transport::ApiRequest;
use crate::{Client, Error};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::hash::Hasher;
use zeroize::Zeroize;

/// The most items Atlas sends in one page, and what listings ask for: a
/// listing of 10,000 keys then costs 20 requests, not 100.
pub const MAX_ITEMS_PER_PAGE: u32 = 500;

/// What one page said about the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageSummary {
    /// How many items it held.
    pub items: usize,
    /// Its `totalCount`, when it gave one.
    pub total: Option<u64>,
    /// A hash of its `results`, to tell a page sent twice.
    pub fingerprint: u64,
}

/// Where a listing stands: the next page to ask for, or the end.
#[derive(Debug, Clone)]
pub(crate) struct Cursor {
    items_per_page: u32,
    next_page: u32,
    /// Items received so far.
    seen: u64,
    /// The latest `totalCount`.
    total: Option<u64>,
    /// The largest page received: a server may send fewer items per page
    /// than asked for, and the request limit counts in its pages.
    page_size: u64,
    requests: u32,
    last_fingerprint: Option<u64>,
    done: bool,
}

impl Cursor {
    /// A listing asking for `items_per_page` items a page, from page 1.
    pub(crate) fn new(items_per_page: u32) -> Self {
        Cursor {
            items_per_page: items_per_page.max(1),
            next_page: 1,
            seen: 0,
            total: None,
            page_size: 0,
            requests: 0,
            last_fingerprint: None,
            done: false,
        }
    }

    /// The page to ask for next, or `None` when the listing is over.
    pub(crate) fn next_page(&self) -> Option<u32> {
        (!self.done).then_some(self.next_page)
    }

    /// The `itemsPerPage` to ask for.
    pub(crate) fn items_per_page(&self) -> u32 {
        self.items_per_page
    }

    /// Takes what the page just received says. `Ok` with the number of
    /// its items to hand out: all of them, or none for a page sent twice.
    /// An error ends the listing: pages that do not add up to their
    /// `totalCount` within the request limit.
    pub(crate) fn accept(&mut self, page: PageSummary) -> Result<(), Error> {
        self.requests += 1;
        self.next_page += 1;
        if page.items == 0 {
            self.done = true;
            return Ok(());
        }
        if self.last_fingerprint == Some(page.fingerprint) {
            self.done = true;
            return Err(Error::protocol(format!(
                "the server sent the same items for page {} as for page {}: it does not page \
                 as Atlas does, so the listing stopped rather than go round",
                self.next_page - 1,
                self.next_page - 2
            )));
        }
        self.last_fingerprint = Some(page.fingerprint);
        let items = page.items as u64;
        self.seen += items;
        self.page_size = self.page_size.max(items);
        if page.total.is_some() {
            self.total = page.total;
        }
        match self.total {
            Some(total) if self.seen >= total => self.done = true,
            Some(total) => {
                let limit = total.div_ceil(self.page_size) + 1;
                if u64::from(self.requests) >= limit {
                    self.done = true;
                    return Err(Error::protocol(format!(
                        "{} pages held {} items, not the {total} their totalCount promised; \
                         the listing stopped there",
                        self.requests, self.seen
                    )));
                }
            }
            // Without a count, a page shorter than asked for is the last.
            None => self.done = items < u64::from(self.items_per_page),
        }
        Ok(())
    }
}

/// One page of a listing as Atlas sends it; `links` is not needed.
#[derive(Deserialize)]
struct RawPage<'a> {
    #[serde(borrow)]
    results: &'a RawValue,
    #[serde(rename = "totalCount")]
    total_count: Option<u64>,
}

/// Every item of a listing, fetched a page at a time as the iteration
/// reaches it: only one page is held in memory. An error (a failed
/// request, a page that cannot be read) is the last item.
#[must_use = "a listing requests nothing until it is iterated"]
pub struct Listing<'c, T> {
    client: &'c Client,
    request: ApiRequest,
    options: CallOptions,
    cursor: Cursor,
    page: std::vec::IntoIter<T>,
}

impl<'c, T> Listing<'c, T> {
    /// A listing of `request` (without paging parameters) through `client`.
    pub(crate) fn new(client: &'c Client, request: ApiRequest, options: CallOptions) -> Self {
        Listing {
            client,
            request,
            options,
            cursor: Cursor::new(MAX_ITEMS_PER_PAGE),
            page: Vec::new().into_iter(),
        }
    }
}

impl<T: DeserializeOwned> Listing<'_, T> {
    /// Fetches page `number` and returns its items.
    fn fetch(&mut self, number: u32) -> Result<Vec<T>, Error> {
        let request = self
            .request
            .clone()
            .query("pageNum", number.to_string())
            .query("itemsPerPage", self.cursor.items_per_page().to_string())
            .query("includeCount", "true".to_owned());
        let description = format!("{} {} (page {number})", request.method, request.path());
        let mut success = self.client.send(request, &self.options)?;
        let read = read_page(&success, &description);
        // A page may hold secrets (a key's access list, say): wiped once read.
        success.body.zeroize();
        let (items, summary) = read?;
        self.cursor.accept(summary)?;
        Ok(if summary.items == 0 {
            Vec::new()
        } else {
            items
        })
    }
}

/// The items and summary of one page.
fn read_page<T: DeserializeOwned>(
    success: &Success,
    description: &str,
) -> Result<(Vec<T>, PageSummary), Error> {
    let page: RawPage<'_> = decode(success, description)?;
    let results = page.results.get();
    let items: Vec<T> = serde_json::from_str(results).map_err(|e| {
        Error::protocol(format!(
            "the results of {description} are not the JSON expected (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    // Fixed keys, unlike a RandomState: pages of one listing must hash alike.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    hasher.write(results.as_bytes());
    let summary = PageSummary {
        items: items.len(),
        total: page.total_count,
        fingerprint: hasher.finish(),
    };
    Ok((items, summary))
}

impl<T: DeserializeOwned> Iterator for Listing<'_, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.page.next() {
                return Some(Ok(item));
            }
            let number = self.cursor.next_page()?;
            match self.fetch(number) {
                Ok(items) => self.page = items.into_iter(),
                Err(e) => {
                    // Whatever the cause, the listing ends with its error.
                    self.cursor = Cursor {
                        done: true,
                        ..self.cursor.clone()
                    };
                    return Some(Err(e));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(items: usize, total: Option<u64>, fingerprint: u64) -> PageSummary {
        PageSummary {
            items,
            total,
            fingerprint,
        }
    }

    /// Feeds pages until the cursor stops; returns the pages asked for and
    /// the outcome.
    fn run(
        per_page: u32,
        mut answer: impl FnMut(u32) -> PageSummary,
    ) -> (Vec<u32>, Result<(), Error>) {
        let mut cursor = Cursor::new(per_page);
        let mut asked = Vec::new();
        while let Some(n) = cursor.next_page() {
            asked.push(n);
            assert!(asked.len() < 1000, "the listing must end");
            if let Err(e) = cursor.accept(answer(n)) {
                return (asked, Err(e));
            }
        }
        (asked, Ok(()))
    }

    #[test]
    fn stops_at_the_total_count() {
        let (asked, outcome) = run(500, |n| {
            page(if n < 3 { 500 } else { 234 }, Some(1234), u64::from(n))
        });
        assert_eq!(asked, [1, 2, 3]);
        assert!(outcome.is_ok());
        // 10,000 keys: 20 requests of 500.
        let (asked, _) = run(500, |n| page(500, Some(10_000), u64::from(n)));
        assert_eq!(asked.len(), 20);
    }

    #[test]
    fn stops_at_an_empty_page_or_a_short_one_without_a_count() {
        let (asked, outcome) = run(500, |n| page(if n == 1 { 500 } else { 0 }, None, 1));
        assert_eq!((asked, outcome.is_ok()), (vec![1, 2], true));
        let (asked, outcome) = run(500, |_| page(7, None, 1));
        assert_eq!((asked, outcome.is_ok()), (vec![1], true));
        let (asked, _) = run(500, |_| page(0, Some(0), 1));
        assert_eq!(asked, [1]);
    }

    #[test]
    fn a_page_sent_twice_ends_the_listing_with_an_error() {
        let (asked, outcome) = run(500, |_| page(500, Some(5_000), 42));
        assert_eq!(asked, [1, 2]);
        assert!(outcome.unwrap_err().to_string().contains("same items"));
    }

    #[test]
    fn a_server_with_smaller_pages_is_followed_to_the_end() {
        let (asked, outcome) = run(500, |n| {
            page(if n < 13 { 100 } else { 34 }, Some(1234), u64::from(n))
        });
        assert_eq!(asked.len(), 13);
        assert!(outcome.is_ok());
    }

    #[test]
    fn pages_that_never_add_up_stop_at_the_request_limit() {
        // A count of 1000, a first page of 500, then pages of one item: the
        // limit is ceil(1000 / 500) + 1 = 3 requests.
        let (asked, outcome) = run(500, |n| {
            page(if n == 1 { 500 } else { 1 }, Some(1000), u64::from(n))
        });
        assert_eq!(asked, [1, 2, 3]);
        let message = outcome.unwrap_err().to_string();
        assert!(message.contains("not the 1000"), "{message}");
        // Pages that keep coming full after the count is reached are not
        // asked for.
        let (asked, outcome) = run(500, |n| {
            page(500, if n == 1 { Some(1000) } else { None }, u64::from(n))
        });
        assert_eq!(asked, [1, 2]);
        assert!(outcome.is_ok());
    }
}
