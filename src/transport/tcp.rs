//! TCP: opening a connection to one of a host's addresses, socket timeouts
//! set only when they change, and a liveness probe in one system call.
//!
//! `strace -c` over 500 deletes through the C ABI counted 10 system calls
//! per delete with ureq's own TCP transport: a liveness probe before a
//! pooled connection was reused and another when it went back, each two
//! `ioctl(FIONBIO)` around a `recvfrom`, and `SO_SNDTIMEO`/`SO_RCVTIMEO`
//! set again for every request because the time left differed by
//! microseconds. Here a probe is one `recv(MSG_PEEK | MSG_DONTWAIT)`, made
//! only before reusing a connection that has been idle for a while (see
//! [`super::pool`]), and socket timeouts are rounded up to 100 ms so that
//! they are set again only when they change by that much: a delete on a
//! busy kept-alive connection costs a send and a receive, as a raw socket
//! does.

use crate::clock::Clock;
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// Socket timeouts are set in steps of this much, rounded up.
pub(super) const TIMEOUT_STEP: Duration = Duration::from_millis(100);
/// The least time one address is given when several share a connect timeout.
const LEAST_PER_ADDRESS: Duration = Duration::from_millis(10);

/// Why no connection could be opened.
#[derive(Debug)]
pub(super) enum ConnectError {
    /// The time ran out.
    TimedOut,
    /// Every address refused or could not be reached; the last reason.
    Failed(io::Error),
}

/// Tries each address in turn, sharing the time left until `deadline`
/// among those not tried yet; an address that refuses or cannot be routed
/// gives way to the next, as curl does.
pub(super) fn connect(
    addrs: &[SocketAddr],
    clock: &dyn Clock,
    deadline: Instant,
) -> Result<TcpStream, ConnectError> {
    let mut last = ConnectError::Failed(io::Error::new(
        io::ErrorKind::AddrNotAvailable,
        "no address to connect to",
    ));
    for (i, addr) in addrs.iter().enumerate() {
        let left = deadline.saturating_duration_since(clock.now());
        if left.is_zero() {
            return Err(ConnectError::TimedOut);
        }
        let share = left / u32::try_from(addrs.len() - i).unwrap_or(u32::MAX);
        match TcpStream::connect_timeout(addr, share.max(LEAST_PER_ADDRESS)) {
            Ok(stream) => return Ok(stream),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                last = ConnectError::TimedOut;
            }
            Err(e) => last = ConnectError::Failed(e),
        }
    }
    Err(last)
}

/// `left` rounded up to the next [`TIMEOUT_STEP`] (never zero, which the
/// socket would read as "no timeout").
pub(super) fn stepped(left: Duration) -> Duration {
    let steps = left.as_nanos().div_ceil(TIMEOUT_STEP.as_nanos()).max(1);
    TIMEOUT_STEP.saturating_mul(u32::try_from(steps).unwrap_or(u32::MAX))
}

/// Whether the peer has neither closed the connection nor sent anything
/// unasked, in one system call that neither blocks nor consumes.
#[cfg(unix)]
pub(super) fn probe(stream: &TcpStream) -> bool {
    use std::os::fd::AsRawFd;
    let mut byte = 0u8;
    // SAFETY: the descriptor is open for as long as `stream` is borrowed,
    // and the buffer is one valid byte.
    let got = unsafe {
        libc::recv(
            stream.as_raw_fd(),
            (&mut byte as *mut u8).cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    got < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
}

/// Elsewhere: a non-blocking peek in between two mode switches.
#[cfg(not(unix))]
pub(super) fn probe(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let open = matches!(stream.peek(&mut [0]), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).is_ok() && open
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SystemClock;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    #[test]
    fn timeouts_are_set_in_steps() {
        assert_eq!(
            stepped(Duration::from_millis(29_999)),
            Duration::from_secs(30)
        );
        assert_eq!(
            stepped(Duration::from_millis(29_901)),
            Duration::from_secs(30)
        );
        assert_eq!(stepped(Duration::from_millis(1)), TIMEOUT_STEP);
        assert_eq!(stepped(Duration::ZERO), TIMEOUT_STEP);
        assert_eq!(
            stepped(Duration::MAX),
            TIMEOUT_STEP.saturating_mul(u32::MAX)
        );
    }

    #[test]
    fn the_probe_tells_open_closed_and_unasked_data_apart() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        assert!(probe(&client), "idle and open");
        server.write_all(b"x").unwrap();
        // A blocking peek waits for what the probe should then see.
        assert_eq!(client.peek(&mut [0]).unwrap(), 1);
        assert!(!probe(&client), "data nobody asked for");
        let mut byte = [0];
        (&client).read_exact(&mut byte).unwrap();
        drop(server);
        assert_eq!(client.peek(&mut [0]).unwrap(), 0, "the FIN arrived");
        assert!(!probe(&client), "closed by the peer");
    }

    #[test]
    fn a_refusing_address_gives_way_to_the_next() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let refusing = {
            let spare = TcpListener::bind("127.0.0.1:0").unwrap();
            spare.local_addr().unwrap()
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        let addrs = [refusing, listener.local_addr().unwrap()];
        let stream = connect(&addrs, &SystemClock, deadline).unwrap();
        assert_eq!(stream.peer_addr().unwrap(), addrs[1]);
        let err = connect(&addrs[..1], &SystemClock, deadline).unwrap_err();
        assert!(
            matches!(&err, ConnectError::Failed(e) if e.kind() == io::ErrorKind::ConnectionRefused),
            "{err:?}"
        );
        assert!(matches!(
            connect(&addrs, &SystemClock, Instant::now()),
            Err(ConnectError::TimedOut)
        ));
    }
}
