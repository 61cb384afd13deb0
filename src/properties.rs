//! Property tests: the parsers of what servers send never panic, whatever
//! arrives. `make test` runs them with proptest's default 256 cases each
//! (PROPTEST_CASES raises that).

use crate::auth::{digest_challenge, DigestAuth};
use crate::response::{api_error, unwrap_envelope, Reply};
use proptest::prelude::*;

/// Text made of the pieces these parsers care about, so that the cases
/// reach deep into them rather than failing at the first byte.
fn header_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Digest ".to_owned()),
        Just("digest".to_owned()),
        Just("Basic realm=\"x\"".to_owned()),
        Just("realm=".to_owned()),
        Just("nonce=".to_owned()),
        Just("qop=".to_owned()),
        Just("algorithm=".to_owned()),
        Just("stale=true".to_owned()),
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just(",".to_owned()),
        Just(" ".to_owned()),
        Just("=".to_owned()),
        Just("auth".to_owned()),
        Just("MD5".to_owned()),
        Just("SHA-256".to_owned()),
        "[a-z0-9]{0,8}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn json_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(":".to_owned()),
        Just(",".to_owned()),
        Just("\"status\"".to_owned()),
        Just("\"content\"".to_owned()),
        Just("\"envelope\"".to_owned()),
        Just("\"errorCode\"".to_owned()),
        Just("\"parameters\"".to_owned()),
        Just("\"detail\"".to_owned()),
        Just("null".to_owned()),
        "-?[0-9]{1,25}",
        "\"[^\"]{0,6}\"",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..32).prop_map(|pieces| pieces.concat())
}

/// A well-formed Digest challenge, so that every case gets past the parser
/// to what is done with it.
fn valid_challenge() -> impl Strategy<Value = Vec<u8>> {
    let algorithm = prop_oneof![Just("MD5"), Just("SHA-256")];
    let qop = prop_oneof![Just(""), Just(r#", qop="auth""#)];
    (
        "[!#-\\[\\]-~]{1,20}",
        "[A-Za-z0-9+/=]{1,40}",
        algorithm,
        qop,
    )
        .prop_map(|(realm, nonce, algorithm, qop)| {
            format!(r#"Digest realm="{realm}", nonce="{nonce}", algorithm={algorithm}{qop}"#)
                .into_bytes()
        })
}

fn reply(body: &[u8], status: u16, retry_after: Option<String>) -> Reply {
    Reply {
        status,
        error_code_header: None,
        retry_after_header: retry_after,
        location_header: None,
        content_type_header: None,
        body: body.to_vec(),
        received_at: std::time::SystemTime::now(),
        server: "atlas.example:443".into(),
        url: "https://atlas.example/api/atlas/v1.0/orgs/x".into(),
    }
}

proptest! {
    #[test]
    fn challenge_parser_never_panics_on_bytes(headers in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..200), 0..4)) {
        let _ = digest_challenge(&headers);
    }

    #[test]
    fn challenge_parser_never_panics_on_header_like_text(headers in prop::collection::vec(header_like(), 0..4)) {
        let raw: Vec<Vec<u8>> = headers.into_iter().map(String::into_bytes).collect();
        if let Ok(challenge) = digest_challenge(&raw) {
            // A challenge that parses can be answered without panicking too,
            // up to its last nonce count, after which it is never reused.
            let auth = DigestAuth::new("pub".into(), crate::secret::Secret::new("k"));
            let mut fresh = auth.session(challenge.clone());
            let _ = auth.answer(&mut fresh, "DELETE", "/x");
            let mut worn = auth.session(challenge).with_nc(u32::MAX - 1);
            if auth.answer(&mut worn, "DELETE", "/x").is_ok() {
                prop_assert_eq!(worn.nc(), u32::MAX);
                auth.checkin(worn);
                prop_assert!(auth.checkout().is_none());
            }
        }
    }

    #[test]
    fn a_session_is_never_answered_past_its_last_nonce_count(challenge in valid_challenge(), used in (u32::MAX - 3)..u32::MAX) {
        let challenge = digest_challenge(&[challenge]).expect("a well-formed challenge parses");
        let auth = DigestAuth::new("pub".into(), crate::secret::Secret::new("k"));
        let mut session = auth.session(challenge).with_nc(used);
        while session.nc() < u32::MAX {
            prop_assert!(auth.answer(&mut session, "DELETE", "/x").is_ok());
        }
        // One more answer would wrap nc to 0, which no server accepts: the
        // exhausted session is dropped rather than handed out again.
        auth.checkin(session);
        prop_assert!(auth.checkout().is_none());
    }

    #[test]
    fn error_body_parser_never_panics(body in prop::collection::vec(any::<u8>(), 0..300), status in any::<u16>(), retry_after in proptest::option::of("\\PC{0,40}")) {
        let reply = reply(&body, status, retry_after);
        let error = api_error(&reply, status, &body);
        let _ = (error.kind(), error.to_string());
    }

    #[test]
    fn error_body_parser_never_panics_on_json_like_text(body in json_like(), status in 100u16..600) {
        let reply = reply(body.as_bytes(), status, None);
        let _ = api_error(&reply, status, body.as_bytes()).to_string();
    }

    #[test]
    fn envelope_parser_never_panics(body in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = unwrap_envelope(&body);
    }

    #[test]
    fn envelope_parser_never_panics_on_json_like_text(body in json_like()) {
        if let Ok(Some((status, _))) = unwrap_envelope(body.as_bytes()) {
            prop_assert!((100..=599).contains(&status));
        }
    }
}
