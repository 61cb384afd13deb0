//! One module per Atlas resource; each adds its calls to [`Client`](crate::Client).

pub(crate) mod org_api_key_access_list;
pub(crate) mod org_api_keys;
