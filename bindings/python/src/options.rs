//! The client's options, declared once in [`client_options!`].
//!
//! Each option is one line there: its name, which is also the name of the
//! `ClientBuilder` setter it goes to, and the type its Python value is read
//! as, which says how that value becomes the setter's ([`Setting`]) and how
//! the stubs spell it. From that list come the parameters of `Client()`,
//! `Client.from_env()`, `MockAtlas.client()` and
//! `MockAtlas.service_account_client()` (each a macro over the list), the
//! [`ClientOptions`] they fill, and `_client_options()`, from which
//! `tools/write_client_options.py` writes the parameter lists of the stubs
//! and of `AsyncClient`. Defaults and checks stay in the core: an option the
//! caller leaves as `None` is never set.

use atlas_admin::{Api, ClientBuilder, Error, ProxyConfig};
use pyo3::prelude::*;
use std::path::PathBuf;
use std::time::Duration;

/// Calls `$callback!` with the client's options, `name: Type` each: first
/// those `Client()` also takes by position (the key pair), then the
/// keyword-only ones. A new option is one line here (and a run of
/// `make python-stubs`).
macro_rules! client_options {
    ($callback:ident) => {
        $callback! {
            [
                public_key: String,
                private_key: String
            ]
            [
                client_id: String,
                client_secret: String,
                api: $crate::options::ApiName,
                host: String,
                base_url: String,
                connect_timeout: $crate::options::Seconds,
                timeout: $crate::options::Seconds,
                max_retries: u32,
                retry_budget: $crate::options::Seconds,
                max_idle_connections: usize,
                ca_bundle: std::path::PathBuf,
                allow_insecure_http: bool,
                proxy: $crate::options::Proxy
            ]
        }
    };
}
pub(crate) use client_options;

/// How a Python value of an option becomes what its `ClientBuilder` setter
/// takes, and how the stubs spell the parameter.
pub(crate) trait Setting: Sized {
    /// What the setter takes.
    type Core;
    /// The parameter's annotation in the stubs, `None` (unset) included.
    const ANNOTATION: &'static str;
    /// The setter's value, or why option `name` is refused.
    fn into_core(self, name: &'static str) -> Result<Self::Core, Error>;
}

/// Types the setters take as they are.
macro_rules! as_is {
    ($($ty:ty => $annotation:literal),* $(,)?) => {
        $(
            impl Setting for $ty {
                type Core = $ty;
                const ANNOTATION: &'static str = $annotation;
                fn into_core(self, _name: &'static str) -> Result<$ty, Error> {
                    Ok(self)
                }
            }
        )*
    };
}

as_is! {
    String => "Optional[str]",
    u32 => "Optional[int]",
    usize => "Optional[int]",
    bool => "Optional[bool]",
    PathBuf => "_Path",
}

/// Reads a newtype as the type it wraps, so that a wrong type is the
/// TypeError Python gives for that type, naming the argument.
macro_rules! read_as {
    ($($newtype:ident($inner:ty)),* $(,)?) => {
        $(
            impl<'a, 'py> FromPyObject<'a, 'py> for $newtype {
                type Error = PyErr;
                fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
                    value.extract::<$inner>().map($newtype)
                }
            }
        )*
    };
}

read_as!(Seconds(f64), ApiName(String));

/// A duration in seconds, as Python gives it: a float.
pub(crate) struct Seconds(f64);

impl Setting for Seconds {
    type Core = Duration;
    const ANNOTATION: &'static str = "Optional[float]";

    /// Zero passes, so that the core refuses it with its own message; only
    /// what a `Duration` cannot hold (negative, NaN, infinite) stops here.
    fn into_core(self, name: &'static str) -> Result<Duration, Error> {
        Duration::try_from_secs_f64(self.0).map_err(|_| Error::InvalidArgument {
            name,
            reason: "must be a non-negative number of seconds".to_owned(),
        })
    }
}

/// An API flavour by its name, which the core parses.
pub(crate) struct ApiName(String);

impl Setting for ApiName {
    type Core = Api;
    const ANNOTATION: &'static str = "Optional[_Api]";

    fn into_core(self, _name: &'static str) -> Result<Api, Error> {
        self.0.parse()
    }
}

/// The `proxy` option: a URL, or a boolean (only False is meaningful).
#[derive(FromPyObject)]
pub(crate) enum Proxy {
    /// This proxy.
    Url(String),
    /// `False`: no proxy, whatever the environment says.
    Off(bool),
}

impl Setting for Proxy {
    type Core = ProxyConfig;
    const ANNOTATION: &'static str = "_Proxy";

    fn into_core(self, name: &'static str) -> Result<ProxyConfig, Error> {
        match self {
            Proxy::Url(url) => Ok(ProxyConfig::Url(url)),
            Proxy::Off(false) => Ok(ProxyConfig::Disabled),
            // ProxyConfig has no "on" beyond the environment, which None already means.
            Proxy::Off(true) => Err(Error::InvalidArgument {
                name,
                reason: "must be None (from the environment), a proxy URL, or False".to_owned(),
            }),
        }
    }
}

/// [`ClientOptions`], its `apply`, and the table `_client_options()` returns.
macro_rules! declare_options {
    ([$($positional:ident: $pty:ty),*] [$($keyword:ident: $kty:ty),*]) => {
        /// Every option of `Client()` as the caller gave it; `None` leaves
        /// the setting to the core (its default, or what `from_env` found).
        pub(crate) struct ClientOptions {
            $(pub(crate) $positional: Option<$pty>,)*
            $(pub(crate) $keyword: Option<$kty>,)*
        }

        impl ClientOptions {
            /// Puts each option given on `builder`, with the setter of its
            /// name; the first one refused is the error.
            pub(crate) fn apply(self, builder: &mut ClientBuilder) -> Result<(), Error> {
                $(
                    if let Some(value) = self.$positional {
                        builder.$positional(value.into_core(stringify!($positional))?);
                    }
                )*
                $(
                    if let Some(value) = self.$keyword {
                        builder.$keyword(value.into_core(stringify!($keyword))?);
                    }
                )*
                Ok(())
            }
        }

        /// `(name, annotation, positional)` of each option, in order.
        const TABLE: &[(&str, &str, bool)] = &[
            $((stringify!($positional), <$pty as Setting>::ANNOTATION, true),)*
            $((stringify!($keyword), <$kty as Setting>::ANNOTATION, false),)*
        ];
    };
}

client_options!(declare_options);

/// _client_options() -> list[tuple[str, str, bool]]
///
/// The client's options as the Rust declaration lists them: name, the
/// annotation the stubs give it, and whether Client() also takes it by
/// position. tools/write_client_options.py writes the stubs' and
/// AsyncClient's parameter lists from it; AsyncClient reads the names.
#[pyfunction]
#[pyo3(name = "_client_options")]
pub(crate) fn client_option_table() -> Vec<(&'static str, &'static str, bool)> {
    TABLE.to_vec()
}
