//! The public types Atlas' answers are read into, and the checks of the
//! values a caller gives for them.

pub(crate) mod access_list;
pub(crate) mod api_key;
