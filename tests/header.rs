//! The committed C header must be exactly what cbindgen generates now.

#[cfg(feature = "capi")]
#[test]
fn committed_header_matches_cbindgen() {
    let generated = std::fs::read_to_string(env!("ATLAS_ADMIN_GENERATED_HEADER")).unwrap();
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/include/atlas_admin.h"
    ))
    .unwrap_or_default();
    assert!(
        generated == committed,
        "include/atlas_admin.h is out of date with src/capi: run `make header` and commit it"
    );
}
