//! The stable C ABI, `include/atlas_admin.h`.
//!
//! Modelled on rustls-ffi: opaque handles, a status enum whose numbers never
//! change, a panic boundary around every export, NULL-safe `*_free`. These
//! functions only convert between C and the core; all behaviour lives there.
//!
//! The modules import one another in one direction only (`panic` is a leaf,
//! `fallible` sits above `error` and `status`); a test below fails on any
//! import circle.
#![allow(non_camel_case_types)]

mod call_options;
mod client;
mod error;
mod fallible;
mod generic;
mod json;
mod log;
mod org_api_keys;
mod panic;
mod response;
mod status;
mod strings;
mod version;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    /// Each module of src/capi and the capi modules it imports (`super::x`).
    fn imports() -> BTreeMap<String, Vec<String>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/capi");
        let mut graph = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
            if name == "mod" {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let mut used: Vec<String> = source
                .match_indices("super::")
                .map(|(at, _)| {
                    source[at + "super::".len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect()
                })
                .filter(|module: &String| !module.is_empty() && *module != name)
                .collect();
            used.sort();
            used.dedup();
            graph.insert(name, used);
        }
        graph
    }

    /// A path of imports from `from` back to `to`, if there is one.
    fn path_back(
        graph: &BTreeMap<String, Vec<String>>,
        from: &str,
        to: &str,
        seen: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        for next in graph.get(from).into_iter().flatten() {
            if next == to {
                return Some(vec![from.to_owned(), to.to_owned()]);
            }
            if seen.contains(next) {
                continue;
            }
            seen.push(next.clone());
            if let Some(mut rest) = path_back(graph, next, to, seen) {
                rest.insert(0, from.to_owned());
                return Some(rest);
            }
        }
        None
    }

    #[test]
    fn no_module_imports_one_that_imports_it_back() {
        let graph = imports();
        assert!(graph["panic"].is_empty(), "panic.rs must stay a leaf");
        assert!(graph["generic"].contains(&"client".to_owned()), "{graph:?}");
        for module in graph.keys() {
            if let Some(circle) = path_back(&graph, module, module, &mut Vec::new()) {
                panic!("import circle in src/capi: {}", circle.join(" -> "));
            }
        }
    }
}
