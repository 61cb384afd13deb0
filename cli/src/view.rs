//! `org-api-keys list`, `get` and `update`: keys as records.

use crate::args::{KeyArgs, ListArgs, UpdateArgs};
use crate::exit::{Exit, Missing};
use crate::output::{self, Layout, Shape};
use crate::record::{self, key_fields, KEY_COLUMNS};
use crate::report::Report;
use crate::{client, Console};
use atlas_admin::CallOptions;

/// A table of keys; in JSON an object per key and a summary.
const LIST: Shape = Shape {
    item: "org",
    items: "keys",
    done: "listed",
    payload: None,
    layout: Layout::Table(KEY_COLUMNS),
};

/// One key as a one-row table; in JSON its object.
const ONE: Shape = Shape {
    item: "key",
    items: "keys",
    done: "ok",
    payload: None,
    layout: Layout::Record(KEY_COLUMNS),
};

/// Runs `org-api-keys list`: every page, each key printed as it comes.
pub fn list(args: &ListArgs, call: CallOptions, console: &mut Console<'_>) -> Exit {
    let scope = &args.scope;
    client::with(&scope.connection, 1, console, |client, console| {
        let org = scope.org.as_str();
        let failed =
            |error: atlas_admin::Error| Report::failed(org, &error, error.attempts(), Missing::Any);
        let reports: Box<dyn Iterator<Item = Report>> = match client.list_org_api_keys(org, &call) {
            Ok(listing) => Box::new(listing.map(|key| match key {
                Ok(key) => Report::done(&key.id).with_fields(key_fields(&key)),
                Err(error) => failed(error),
            })),
            Err(error) => Box::new(std::iter::once(failed(error))),
        };
        output::print(console, scope.output, LIST, reports)
    })
}

/// Runs `org-api-keys get`.
pub fn get(args: &KeyArgs, call: CallOptions, console: &mut Console<'_>) -> Exit {
    let scope = &args.scope;
    client::with(&scope.connection, 1, console, |client, console| {
        let report = match record::find(client, &scope.org, &args.key, &call) {
            Ok(key) => Report::done(&args.key).with_fields(key_fields(&key)),
            Err(report) => *report,
        };
        output::print(console, scope.output, ONE, [report])
    })
}

/// Runs `org-api-keys update`, printing the key as it now is.
pub fn update(args: &UpdateArgs, call: CallOptions, console: &mut Console<'_>) -> Exit {
    let scope = &args.scope;
    client::with(&scope.connection, 1, console, |client, console| {
        let roles = (!args.roles.is_empty()).then_some(args.roles.as_slice());
        let updated = record::find_id(client, &scope.org, &args.key, &call).and_then(|id| {
            client
                .update_org_api_key(&scope.org, &id, args.description.as_deref(), roles, &call)
                .map_err(|error| record::failed(&args.key, &error))
        });
        let report = match updated {
            Ok(key) => Report::done(&args.key).with_fields(key_fields(&key)),
            Err(report) => *report,
        };
        output::print(console, scope.output, ONE, [report])
    })
}
