//! Atlas' list pages: `pageNum`, `itemsPerPage` and `includeCount` in, and
//! `{"links", "results", "totalCount"}` out.

use crate::errors::AtlasError;
use crate::http::Request;
use serde_json::{json, Value};

/// The most items a page may hold.
const MAX_ITEMS_PER_PAGE: usize = 500;
/// Items per page when the request does not say.
const DEFAULT_ITEMS_PER_PAGE: usize = 100;

/// Which page a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging {
    /// From 1.
    pub page_num: usize,
    /// 1 to [`MAX_ITEMS_PER_PAGE`].
    pub items_per_page: usize,
    /// Whether the page says `totalCount`.
    pub include_count: bool,
}

impl Paging {
    /// The paging `request` asks for; `400 INVALID_QUERY_PARAMETER` for a
    /// value out of range or not a number (or not a boolean).
    pub fn of(request: &Request) -> Result<Self, AtlasError> {
        let number = |name: &str, default: usize, max: usize| match request.query_value(name) {
            None => Ok(default),
            Some(text) => text
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| text.parse::<usize>().ok())
                .flatten()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| AtlasError::invalid_query_parameter(name)),
        };
        let include_count = match request.query_value("includeCount") {
            None => true,
            Some(text) if text.eq_ignore_ascii_case("true") => true,
            Some(text) if text.eq_ignore_ascii_case("false") => false,
            Some(_) => return Err(AtlasError::invalid_query_parameter("includeCount")),
        };
        Ok(Paging {
            page_num: number("pageNum", 1, usize::MAX)?,
            items_per_page: number("itemsPerPage", DEFAULT_ITEMS_PER_PAGE, MAX_ITEMS_PER_PAGE)?,
            include_count,
        })
    }

    /// How many items come before this page.
    pub fn skip(&self) -> usize {
        (self.page_num - 1).saturating_mul(self.items_per_page)
    }

    /// The page body: `results`, `totalCount` (of `total` items) unless
    /// left out, and links to this page and its neighbours, built on
    /// `href` (the list's URL without a query).
    pub fn page(&self, href: &str, results: Vec<Value>, total: usize) -> Value {
        let link = |page: usize, rel: &str| {
            json!({
                "href": format!("{href}?pageNum={page}&itemsPerPage={}", self.items_per_page),
                "rel": rel,
            })
        };
        let mut links = vec![link(self.page_num, "self")];
        if self.page_num > 1 {
            links.push(link(self.page_num - 1, "previous"));
        }
        if self.skip().saturating_add(self.items_per_page) < total {
            links.push(link(self.page_num + 1, "next"));
        }
        let mut body = json!({"links": links, "results": results});
        if self.include_count {
            body["totalCount"] = json!(total);
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::Paging;
    use crate::http::read_request;
    use serde_json::json;

    fn paging(query: &str) -> Result<Paging, &'static str> {
        let head = format!("GET /x?{query} HTTP/1.1\r\n\r\n");
        let request = read_request(&mut head.as_bytes()).unwrap().unwrap();
        Paging::of(&request).map_err(|e| e.code)
    }

    #[test]
    fn reads_defaults_and_values() {
        assert_eq!(
            paging(""),
            Ok(Paging {
                page_num: 1,
                items_per_page: 100,
                include_count: true
            })
        );
        assert_eq!(
            paging("pageNum=3&itemsPerPage=500&includeCount=FALSE"),
            Ok(Paging {
                page_num: 3,
                items_per_page: 500,
                include_count: false
            })
        );
    }

    #[test]
    fn refuses_values_out_of_range() {
        for query in [
            "pageNum=0",
            "pageNum=-1",
            "pageNum=x",
            "pageNum=",
            "pageNum=+2",
            "itemsPerPage=0",
            "itemsPerPage=501",
            "itemsPerPage=99999999999999999999999",
            "includeCount=yes",
        ] {
            assert_eq!(paging(query), Err("INVALID_QUERY_PARAMETER"), "{query}");
        }
    }

    #[test]
    fn links_to_the_neighbours_that_exist() {
        let p = paging("pageNum=2&itemsPerPage=2").unwrap();
        let body = p.page("http://h/l", vec![json!(3), json!(4)], 5);
        let rels: Vec<&str> = body["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["rel"].as_str().unwrap())
            .collect();
        assert_eq!(rels, ["self", "previous", "next"]);
        assert_eq!(
            body["links"][2]["href"],
            "http://h/l?pageNum=3&itemsPerPage=2"
        );
        assert_eq!(body["totalCount"], 5);
        let last = paging("pageNum=3&itemsPerPage=2&includeCount=false").unwrap();
        let body = last.page("http://h/l", vec![json!(5)], 5);
        assert_eq!(body["links"].as_array().unwrap().len(), 2);
        assert!(body.get("totalCount").is_none());
    }
}
