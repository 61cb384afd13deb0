//! Sets the shared library's SONAME and generates `atlas_admin.h` with cbindgen.
//!
//! The header is written to `OUT_DIR` only, so building as a dependency or
//! from a read-only tree works; `tests/header.rs` fails when the committed
//! `include/atlas_admin.h` differs, and `make header` (which sets
//! `ATLAS_ADMIN_WRITE_HEADER=1`) refreshes it.

use std::env;

/// The SONAME carries the major of the crate's version (Cargo.toml): an
/// incompatible change to the C ABI needs a new major version, and so a new
/// SONAME (`abi/libatlas_admin.abi` and `make test-abi` enforce it).
const SONAME: &str = concat!("libatlas_admin.so.", env!("CARGO_PKG_VERSION_MAJOR"));

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-env-changed=ATLAS_ADMIN_WRITE_HEADER");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{SONAME}");
    }
    #[cfg(feature = "capi")]
    header::generate();
}

#[cfg(feature = "capi")]
mod header {
    use std::env;
    use std::path::PathBuf;

    pub fn generate() {
        let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
        let out_dir = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
        let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
            .expect("cbindgen.toml is readable");
        let generated = out_dir.join("atlas_admin.h");
        cbindgen::Builder::new()
            .with_config(config)
            // The C ABI's own modules only: the core's public constants
            // (DEFAULT_MAX_IDLE_CONNECTIONS, MAX_ITEMS_PER_PAGE...) are Rust
            // API, and unprefixed in C's one namespace.
            .with_src(crate_dir.join("src/capi/mod.rs"))
            .generate()
            .expect("cbindgen can parse the C API")
            .write_to_file(&generated);
        println!(
            "cargo:rustc-env=ATLAS_ADMIN_GENERATED_HEADER={}",
            generated.display()
        );
        if env::var_os("ATLAS_ADMIN_WRITE_HEADER").is_some() {
            std::fs::copy(&generated, crate_dir.join("include/atlas_admin.h"))
                .expect("include/atlas_admin.h is writable");
        }
    }
}
