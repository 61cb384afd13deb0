//! The committed C header must be exactly what cbindgen generates now, and
//! the C++ wrapper (bindings/cpp/atlas_admin.hpp) must keep up with it.

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

/// Every name the header declares (macros, types, enum values, functions)
/// is the library's own: C has one namespace, and a program including
/// atlas_admin.h must not find a bare `MAX_ITEMS_PER_PAGE` in it.
#[cfg(feature = "capi")]
#[test]
fn every_name_in_the_header_is_prefixed() {
    let header = std::fs::read_to_string(env!("ATLAS_ADMIN_GENERATED_HEADER")).unwrap();
    let mut code = String::new();
    let mut rest = header.as_str();
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("comments end") + start + 2;
        rest = &rest[end..];
    }
    code.push_str(rest);
    let identifier = |text: &str| -> String {
        text.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = Vec::new();
    for line in code.lines().map(|line| line.split("//").next().unwrap()) {
        let name = if let Some(macro_line) = line.strip_prefix("#define ") {
            identifier(macro_line)
        } else if let Some(typedef) = line.strip_prefix("typedef ") {
            match typedef.split_once("(*") {
                Some((_, pointer)) => identifier(pointer),
                None => identifier(typedef.trim_end_matches(';').rsplit(' ').next().unwrap()),
            }
        } else if let Some(tagged) = line
            .strip_prefix("enum ")
            .or_else(|| line.strip_prefix("struct "))
        {
            identifier(tagged)
        } else if line.starts_with("  ") && line.contains(" = ") {
            identifier(line.trim_start())
        } else if !line.starts_with([' ', '#', '}']) && line.contains('(') {
            let before = &line[..line.find('(').unwrap()];
            identifier(before.rsplit([' ', '*']).next().unwrap())
        } else {
            continue;
        };
        names.push(name);
    }
    assert!(
        names.len() > 60 && names.iter().any(|n| n == "atlas_call"),
        "the header's declarations were not found: {names:?}"
    );
    let foreign: Vec<_> = names
        .iter()
        .filter(|name| !name.starts_with("atlas_") && !name.starts_with("ATLAS_"))
        .collect();
    assert!(
        foreign.is_empty(),
        "atlas_admin.h declares names without the atlas_/ATLAS_ prefix: {foreign:?}"
    );
}

/// Parity between C and C++, read from the sources: options, calls, flags.
#[cfg(feature = "capi")]
mod parity {
    use std::collections::BTreeSet;

    const OPTIONS_PREFIX: &str = "atlas_client_options_";
    /// Made and freed by the C++ ClientOptions' constructor and destructor,
    /// not set by a setter.
    const LIFECYCLE: [&str; 2] = ["atlas_client_options_new", "atlas_client_options_free"];

    fn header() -> String {
        std::fs::read_to_string(env!("ATLAS_ADMIN_GENERATED_HEADER")).unwrap()
    }

    fn wrapper() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/bindings/cpp/atlas_admin.hpp"
        ))
        .unwrap()
    }

    fn is_identifier(c: char) -> bool {
        c.is_ascii_alphanumeric() || c == '_'
    }

    /// Every identifier in `text` that starts with `prefix`, with whether
    /// a `(` follows it (a declaration or a call rather than a mention).
    fn identifiers<'a>(text: &'a str, prefix: &str) -> Vec<(&'a str, bool)> {
        text.match_indices(prefix)
            .filter(|(at, _)| !text[..*at].ends_with(is_identifier))
            .map(|(at, _)| {
                let rest = &text[at..];
                let end = rest.find(|c| !is_identifier(c)).unwrap_or(rest.len());
                (&rest[..end], rest[end..].starts_with('('))
            })
            .collect()
    }

    /// The option functions atlas_admin.h declares (new and free aside).
    fn c_option_functions() -> BTreeSet<String> {
        identifiers(&header(), OPTIONS_PREFIX)
            .into_iter()
            .filter(|(name, declared)| *declared && !LIFECYCLE.contains(name))
            .map(|(name, _)| name.to_owned())
            .collect()
    }

    /// The text of `class NAME { ... };` in the wrapper.
    fn class_body(wrapper: &str, name: &str) -> String {
        let start = wrapper
            .find(&format!("\nclass {name} {{"))
            .unwrap_or_else(|| panic!("atlas_admin.hpp has no class {name}"));
        let end = wrapper[start..].find("\n};").expect("the class ends") + start;
        wrapper[start..end].to_owned()
    }

    /// Each public `ClientOptions &NAME(...)` setter with its body.
    fn cpp_setters(class: &str) -> Vec<(String, String)> {
        let public = class.split("\n  private:").next().unwrap();
        let mut setters = Vec::new();
        let mut rest = public;
        while let Some(at) = rest.find("\n    ClientOptions &") {
            let signature = &rest[at + "\n    ClientOptions &".len()..];
            let name: String = signature
                .chars()
                .take_while(|&c| is_identifier(c))
                .collect();
            let open = signature.find('{').expect("a setter has a body");
            let mut depth = 0;
            let mut end = open;
            for (i, c) in signature[open..].char_indices() {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                if depth == 0 {
                    end = open + i;
                    break;
                }
            }
            setters.push((name, signature[open..=end].to_owned()));
            rest = &signature[end..];
        }
        setters
    }

    #[test]
    fn every_c_option_function_has_a_cpp_setter_and_the_reverse() {
        let c_functions = c_option_functions();
        assert!(
            c_functions.len() >= 10 && c_functions.contains("atlas_client_options_load_env"),
            "the header's option functions were not found: {c_functions:?}"
        );
        let class = class_body(&wrapper(), "ClientOptions");
        let called: BTreeSet<String> = identifiers(&class, OPTIONS_PREFIX)
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| !LIFECYCLE.contains(name))
            .map(str::to_owned)
            .collect();
        let missing: Vec<_> = c_functions.difference(&called).collect();
        assert!(
            missing.is_empty(),
            "C option functions with no C++ ClientOptions counterpart: {missing:?}"
        );
        let unknown: Vec<_> = called.difference(&c_functions).collect();
        assert!(
            unknown.is_empty(),
            "ClientOptions calls C functions atlas_admin.h does not declare: {unknown:?}"
        );
        let setters = cpp_setters(&class);
        assert!(setters.len() >= 10, "setters not found: {setters:?}");
        for (name, body) in &setters {
            let calls: Vec<_> = identifiers(body, OPTIONS_PREFIX)
                .into_iter()
                .map(|(function, _)| function)
                .collect();
            assert!(
                calls.iter().any(|function| c_functions.contains(*function)),
                "ClientOptions::{name} calls no atlas_client_options_* function of the header"
            );
        }
    }

    /// Header functions the wrapper does not call, and why.
    const NOT_WRAPPED: [&str; 1] = [
        // Process-wide, not a client's: C++ programs call it as it is.
        "atlas_set_log_callback",
    ];

    #[test]
    fn every_function_of_the_header_is_used_by_the_wrapper() {
        let header = header();
        let wrapper = wrapper();
        let functions: BTreeSet<&str> = identifiers(&header, "atlas_")
            .into_iter()
            .filter(|(_, declared)| *declared)
            .map(|(name, _)| name)
            .collect();
        assert!(
            functions.len() >= 70 && functions.contains("atlas_update_org_api_key"),
            "the header's functions were not found: {functions:?}"
        );
        // Named in code (called, or passed as a function pointer), not in a comment.
        let code: String = wrapper
            .lines()
            .map(|line| line.split("//").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        let called: BTreeSet<&str> = identifiers(&code, "atlas_")
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        // A call is wrapped through its *_with_accept variant, which takes
        // CallOptions' media type.
        let missing: Vec<_> = functions
            .iter()
            .filter(|name| {
                !called.contains(*name)
                    && !called.contains(format!("{name}_with_accept").as_str())
                    && !NOT_WRAPPED.contains(name)
            })
            .collect();
        assert!(
            missing.is_empty(),
            "atlas_admin.hpp uses neither these functions of atlas_admin.h nor their \
             *_with_accept variants: {missing:?}"
        );
        // The wrapper's namespace aside, every atlas_* name it uses is the header's.
        let declared: BTreeSet<&str> = identifiers(&header, "atlas_")
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        let unknown: Vec<_> = called
            .iter()
            .filter(|name| **name != "atlas_admin" && !declared.contains(*name))
            .collect();
        assert!(
            unknown.is_empty(),
            "atlas_admin.hpp uses atlas_* names atlas_admin.h does not declare: {unknown:?}"
        );
    }

    #[test]
    fn every_flag_of_the_header_is_used_by_the_wrapper() {
        let wrapper = wrapper();
        let header = header();
        let flags: Vec<&str> = header
            .lines()
            .filter_map(|line| line.strip_prefix("#define ATLAS_")?.split_once(' '))
            // Aliases name another flag; the values are written (1 << n).
            .filter(|(_, value)| value.starts_with('('))
            .map(|(name, _)| name)
            .collect();
        assert!(flags.len() >= 3, "no flags found in the header");
        for flag in flags {
            let name = format!("ATLAS_{flag}");
            assert!(
                identifiers(&wrapper, &name)
                    .iter()
                    .any(|(found, _)| *found == name),
                "{name} has no C++ counterpart in atlas_admin.hpp"
            );
        }
    }
}
