//! `org-api-keys access-list list`, `add` and `delete`.

use crate::args::{AccessListAddArgs, AccessListDeleteArgs, KeyArgs};
use crate::exit::Exit;
use crate::output::{self, Layout, Shape};
use crate::record::{self, entry_fields, ENTRY_COLUMNS};
use crate::report::Report;
use crate::{client, Console};
use atlas_admin::{AccessListEntry, CallOptions};
use serde_json::json;

/// A table of entries; in JSON an object per entry and a summary.
const ENTRIES: Shape = Shape {
    item: "key",
    items: "entries",
    done: "listed",
    payload: None,
    layout: Layout::Table(ENTRY_COLUMNS),
};

/// `deleted ENTRY (key ID)`.
const REMOVED: Shape = Shape {
    item: "entry",
    items: "entries",
    done: "deleted",
    payload: None,
    layout: Layout::Lines,
};

/// Runs `org-api-keys access-list list`.
pub fn list(args: &KeyArgs, call: CallOptions, console: &mut Console<'_>) -> Exit {
    let scope = &args.scope;
    client::with(&scope.connection, 1, console, |client, console| {
        let listed = record::find_id(client, &scope.org, &args.key, &call).and_then(|id| {
            client
                .list_org_api_key_access_list(&scope.org, &id, &call)
                .map_err(|error| record::failed(&args.key, &error))
        });
        output::print(console, scope.output, ENTRIES, rows(&args.key, listed))
    })
}

/// Runs `org-api-keys access-list add`, printing the list Atlas answers
/// with.
pub fn add(args: &AccessListAddArgs, call: CallOptions, console: &mut Console<'_>) -> Exit {
    let scope = &args.scope;
    client::with(&scope.connection, 1, console, |client, console| {
        let added = record::find_id(client, &scope.org, &args.key, &call).and_then(|id| {
            client
                .add_org_api_key_access_list(&scope.org, &id, &args.entries, &call)
                .map_err(|error| record::failed(&args.key, &error))
        });
        output::print(console, scope.output, ENTRIES, rows(&args.key, added))
    })
}

/// Runs `org-api-keys access-list delete`.
pub fn delete(args: &AccessListDeleteArgs, call: CallOptions, console: &mut Console<'_>) -> Exit {
    let scope = &args.scope;
    client::with(&scope.connection, 1, console, |client, console| {
        let report = match record::find_id(client, &scope.org, &args.key, &call) {
            Ok(id) => {
                let removed = client.delete_org_api_key_access_list_entry(
                    &scope.org,
                    &id,
                    &args.entry,
                    &call,
                );
                match removed {
                    Ok(()) => Report::done(&args.entry),
                    Err(error) => *record::failed(&args.entry, &error),
                }
                .with_fields(vec![("key", json!(id))])
            }
            Err(report) => *report,
        };
        output::print(console, scope.output, REMOVED, [report])
    })
}

/// A report for each entry, or the one failure.
fn rows(key: &str, entries: Result<Vec<AccessListEntry>, Box<Report>>) -> Vec<Report> {
    match entries {
        Ok(entries) => entries
            .iter()
            .map(|entry| Report::done(key).with_fields(entry_fields(entry)))
            .collect(),
        Err(report) => vec![*report],
    }
}
