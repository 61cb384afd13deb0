//! `--org` defaults to `MONGODB_ATLAS_ORG_ID`, the Atlas CLI's variable,
//! which the quick starts read too; without either, the error names both.

mod support;

use support::*;

/// `org-api-keys delete --base-url MOCK KEY`, with `MONGODB_ATLAS_ORG_ID`
/// set to `org_variable` when given, and `extra` arguments.
fn delete_without_org(
    atlas: &atlas_admin_mock::MockAtlas,
    org_variable: Option<&str>,
    extra: &[&str],
) -> Run {
    let mut command = command(Some(PRIVATE));
    command
        .args(["org-api-keys", "delete", "--base-url", &atlas.base_url()])
        .args(extra);
    if let Some(org) = org_variable {
        command.env("MONGODB_ATLAS_ORG_ID", org);
    }
    run_command(command, None)
}

#[test]
fn the_organization_comes_from_the_variable_when_org_is_not_given() {
    let atlas = mock(2);
    let keys = keys(2);
    let run = delete_without_org(&atlas, Some(ORG), &[&keys[0]]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!atlas.has_key(ORG, &keys[0]) && atlas.has_key(ORG, &keys[1]));
    // --org wins over the variable.
    let run = delete_without_org(
        &atlas,
        Some("ffffffffffffffffffffffff"),
        &["--org", ORG, &keys[1]],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!atlas.has_key(ORG, &keys[1]));
}

#[test]
fn without_org_or_the_variable_the_error_names_both_and_nothing_is_sent() {
    let atlas = mock(1);
    for variable in [None, Some("")] {
        let run = delete_without_org(&atlas, variable, &[&key(0)]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.contains("--org <ORG_ID>") && run.stderr.contains("MONGODB_ATLAS_ORG_ID"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(atlas.stats().requests, 0);
    assert!(atlas.has_key(ORG, &key(0)));
}
