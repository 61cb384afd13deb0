//! Property tests: whatever bytes a server sends, the codec answers with a
//! head, "more", or an error, and never panics or reads past its limits.

use super::{parse_head, BodyDecoder, Framing, Progress, MAX_HEAD_BYTES};
use proptest::prelude::*;

/// Bytes made of the pieces a response is built from, so that cases get
/// past the status line and into headers and bodies.
fn response_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"HTTP/1.1 ".to_vec()),
        Just(b"HTTP/1.0 ".to_vec()),
        Just(b"100 Continue\r\n\r\n".to_vec()),
        Just(b"204 No Content".to_vec()),
        Just(b"401 Unauthorized".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"Content-Length: ".to_vec()),
        Just(b"Transfer-Encoding: chunked".to_vec()),
        Just(b"Connection: close".to_vec()),
        Just(b"WWW-Authenticate: Digest ".to_vec()),
        Just(b", ".to_vec()),
        Just(b";".to_vec()),
        Just(b"0".to_vec()),
        "[0-9a-fA-F]{1,20}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn framing() -> impl Strategy<Value = Framing> {
    prop_oneof![
        Just(Framing::Empty),
        Just(Framing::Chunked),
        Just(Framing::UntilClose),
        any::<u64>().prop_map(Framing::Length),
    ]
}

/// Feeds `input` to a decoder in pieces of `step` bytes, checking what
/// every call promises.
fn decode_all(
    framing: Framing,
    input: &[u8],
    step: usize,
    limit: usize,
) -> Result<(), TestCaseError> {
    let mut decoder = BodyDecoder::new(framing);
    let mut out = Vec::new();
    let mut at = 0;
    while at < input.len() {
        let end = (at + step).min(input.len());
        match decoder.decode(&input[at..end], &mut out, limit) {
            Err(_) => return Ok(()),
            Ok((used, progress)) => {
                prop_assert!(used <= end - at);
                prop_assert!(out.len() <= limit, "read past the limit");
                match progress {
                    Progress::More => prop_assert_eq!(used, end - at),
                    Progress::Done => {
                        prop_assert!(decoder.is_done());
                        return Ok(());
                    }
                    Progress::Full => return Ok(()),
                }
                at += used;
            }
        }
    }
    let _ = decoder.finish_at_close();
    Ok(())
}

proptest! {
    #[test]
    fn the_head_parser_never_panics_on_bytes(input in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse_head(&input, "DELETE");
    }

    #[test]
    fn the_head_parser_never_panics_on_response_like_bytes(input in response_like(), head in any::<bool>()) {
        if let Ok(Some((_, used))) = parse_head(&input, if head { "HEAD" } else { "DELETE" }) {
            prop_assert!(used <= input.len() && used <= MAX_HEAD_BYTES);
        }
    }

    #[test]
    fn the_body_decoder_never_panics(framing in framing(), input in response_like(), step in 1usize..64, limit in 0usize..256) {
        decode_all(framing, &input, step, limit)?;
    }

    #[test]
    fn the_body_decoder_never_panics_on_bytes(framing in framing(), input in prop::collection::vec(any::<u8>(), 0..600), step in 1usize..64) {
        decode_all(framing, &input, step, 1024)?;
    }
}
