//! The options of every Atlas call, declared once in [`atlas_calls!`].

/// Defines Python methods that call Atlas. Each gets the options of every
/// call as keyword arguments, `pretty=False, envelope=False` (the list in
/// the first rule below is their one declaration), turned into the core's
/// `CallOptions` here and nowhere else, with the interrupt that lets Ctrl-C
/// and a cancelled `AsyncClient` task stop it ([`crate::interrupt`]), and
/// forwards to a Rust method that takes its own parameters, then those
/// options:
///
/// ```ignore
/// atlas_calls! {
///     Client {
///         /// The docstring.
///         fn delete_org_api_key(org_id: &str, api_key_id: &str; missing_ok: bool = false) -> () => delete;
///     }
/// }
/// ```
///
/// is `delete_org_api_key(org_id, api_key_id, *, missing_ok=False,
/// pretty=False, envelope=False)` in Python, which calls
/// `self.delete(py, org_id, api_key_id, missing_ok, call_options)`.
/// Parameters before `;` are positional, those after it keyword-only with
/// their defaults (a single token: `None`, `false`). Each method is a
/// `#[pymethods]` block of its own.
macro_rules! atlas_calls {
    (
        $class:ident {
            $(
                $(#[doc = $doc:literal])*
                fn $name:ident($($arg:ident: $argty:ty),* ; $($kw:ident: $kwty:ty = $default:tt),*)
                    -> $ret:ty => $target:ident;
            )*
        }
    ) => {
        $(
            $crate::call::atlas_calls!(
                @method [pretty, envelope] $class
                $(#[doc = $doc])*
                fn $name($($arg: $argty),* ; $($kw: $kwty = $default),*) -> $ret => $target
            );
        )*
    };
    (
        @method [$($option:ident),*] $class:ident
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $argty:ty),* ; $($kw:ident: $kwty:ty = $default:tt),*)
            -> $ret:ty => $target:ident
    ) => {
        #[pyo3::pymethods]
        impl $class {
            $(#[doc = $doc])*
            #[pyo3(signature = ($($arg,)* *, $($kw = $default,)* $($option = false),*))]
            #[allow(clippy::too_many_arguments)]
            fn $name(
                &self,
                py: pyo3::Python<'_>,
                $($arg: $argty,)*
                $($kw: $kwty,)*
                $($option: bool),*
            ) -> pyo3::PyResult<$ret> {
                let call = atlas_admin::CallOptions::new()$(.$option($option))*
                    .interrupt($crate::interrupt::hook());
                self.$target(py, $($arg,)* $($kw,)* call)
            }
        }
    };
}
pub(crate) use atlas_calls;
