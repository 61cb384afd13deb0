//! TCP connections for ureq, minus the system calls a request on a
//! kept-alive connection does not need.
//!
//! `strace -c` over 500 deletes through the C ABI counted 10 system calls
//! per delete with ureq's own TCP transport: a liveness probe before a
//! pooled connection is reused and another when it goes back, each two
//! `ioctl(FIONBIO)` around a `recvfrom`, and `SO_SNDTIMEO`/`SO_RCVTIMEO`
//! set again for every request because the time left differs by
//! microseconds. Here a probe is one `recv(MSG_PEEK | MSG_DONTWAIT)`, made
//! only before reusing a connection that has been idle for a while (see
//! [`PROBE_AFTER_IDLE`]), and socket timeouts are rounded up to 100 ms so
//! that they are set again only when they change by that much: a delete on
//! a busy kept-alive connection costs a send and a receive, as a raw socket
//! does.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle,
    Transport,
};
use ureq::Timeout;

/// A connection that answered more recently than this is reused without a
/// probe. Servers close idle connections after seconds (Apache's
/// KeepAliveTimeout is 5 s); one that closes sooner without saying so makes
/// the next request fail as a network I/O error before any answer, which a
/// delete retries. Each probe costs a system call, as much as the send.
const PROBE_AFTER_IDLE: Duration = Duration::from_secs(1);
/// Socket timeouts are set in steps of this much, rounded up.
const TIMEOUT_STEP: Duration = Duration::from_millis(100);

/// Opens plain TCP connections as [`Connection`]s.
#[derive(Debug, Default)]
pub(crate) struct Tcp;

impl<In: Transport> Connector<In> for Tcp {
    type Out = Either<In, Connection>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        // A connection through a CONNECT proxy is already open.
        if let Some(chained) = chained {
            return Ok(Some(Either::A(chained)));
        }
        let stream = connect(details)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let connection = Connection {
            stream: Arc::new(stream),
            buffers: LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            ),
            read_timeout: None,
            write_timeout: None,
            last_read: None,
        };
        (details.register_shutdown)(Arc::downgrade(&connection.stream) as Weak<dyn ShutdownHandle>)?;
        Ok(Some(Either::B(connection)))
    }
}

/// Tries each resolved address in turn, sharing the connect timeout among
/// those left; an address that refuses or cannot be routed gives way to the
/// next, as ureq and curl do.
fn connect(details: &ConnectionDetails) -> Result<TcpStream, ureq::Error> {
    let deadline = details
        .timeout
        .not_zero()
        .map(|after| Instant::now() + *after);
    let mut last = None;
    let addrs: Vec<SocketAddr> = details.addrs.iter().copied().collect();
    for (i, addr) in addrs.iter().enumerate() {
        let attempt = match deadline {
            None => TcpStream::connect(addr),
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(ureq::Error::Timeout(Timeout::Connect));
                }
                let share = left / u32::try_from(addrs.len() - i).unwrap_or(u32::MAX);
                TcpStream::connect_timeout(addr, share.max(Duration::from_millis(10)))
            }
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                last = Some(ureq::Error::Timeout(Timeout::Connect));
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionRefused
                        | io::ErrorKind::HostUnreachable
                        | io::ErrorKind::NetworkUnreachable
                        | io::ErrorKind::NetworkDown
                        | io::ErrorKind::AddrNotAvailable
                ) =>
            {
                last = Some(ureq::Error::Io(e));
            }
            Err(e) => return Err(ureq::Error::Io(e)),
        }
    }
    Err(last.unwrap_or(ureq::Error::ConnectionFailed))
}

/// One TCP connection with the timeouts last set on its socket.
#[derive(Debug)]
pub(crate) struct Connection {
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    /// When an answer last arrived.
    last_read: Option<Instant>,
}

/// `timeout` rounded up to the next [`TIMEOUT_STEP`]; `None` for no timeout.
fn stepped(timeout: &NextTimeout) -> Option<Duration> {
    let after = timeout.not_zero()?;
    let steps = after.as_nanos().div_ceil(TIMEOUT_STEP.as_nanos()).max(1);
    Some(TIMEOUT_STEP.saturating_mul(u32::try_from(steps).unwrap_or(u32::MAX)))
}

/// Maps an I/O error, reporting a socket timeout as ureq's `reason`.
fn io_error(e: io::Error, reason: Timeout) -> ureq::Error {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => ureq::Error::Timeout(reason),
        _ => ureq::Error::Io(e),
    }
}

impl Transport for Connection {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let timeout = timeout.for_write();
        if timeout.after.is_zero() {
            return Err(ureq::Error::Timeout(timeout.reason));
        }
        let wanted = stepped(&timeout);
        if wanted != self.write_timeout {
            self.stream.set_write_timeout(wanted)?;
            self.write_timeout = wanted;
        }
        let output = &self.buffers.output()[..amount];
        (&*self.stream)
            .write_all(output)
            .map_err(|e| io_error(e, timeout.reason))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let timeout = timeout.for_read();
        if timeout.after.is_zero() {
            return Err(ureq::Error::Timeout(timeout.reason));
        }
        let wanted = stepped(&timeout);
        if wanted != self.read_timeout {
            self.stream.set_read_timeout(wanted)?;
            self.read_timeout = wanted;
        }
        let input = self.buffers.input_append_buf();
        let amount = loop {
            match (&*self.stream).read(input) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other.map_err(|e| io_error(e, timeout.reason))?,
            }
        };
        self.buffers.input_appended(amount);
        if amount > 0 {
            self.last_read = Some(Instant::now());
        }
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        // ureq asks as the connection goes back to the pool, right after
        // its answer, and again before reuse: a connection that has been
        // idle a while is probed for a peer that closed, or sent more than
        // was asked, meanwhile.
        self.last_read
            .is_some_and(|at| at.elapsed() < PROBE_AFTER_IDLE)
            || probe(&self.stream)
    }
}

/// Whether the peer has neither closed the connection nor sent anything
/// unasked, in one system call that neither blocks nor consumes.
#[cfg(unix)]
fn probe(stream: &TcpStream) -> bool {
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

/// Elsewhere, ureq's probe: a non-blocking read in between two mode switches.
#[cfg(not(unix))]
fn probe(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let open = matches!((&*stream).peek(&mut [0]), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).is_ok() && open
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn timeouts_are_set_in_steps() {
        let next = |ms| NextTimeout {
            after: ureq::unversioned::transport::time::Duration::from_millis(ms),
            ..NextTimeout::default()
        };
        assert_eq!(stepped(&next(29_999)), Some(Duration::from_secs(30)));
        assert_eq!(stepped(&next(29_901)), Some(Duration::from_secs(30)));
        assert_eq!(stepped(&next(1)), Some(TIMEOUT_STEP));
        assert_eq!(stepped(&NextTimeout::default()), None);
    }

    #[test]
    fn the_probe_tells_open_closed_and_unasked_data_apart() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        assert!(probe(&client), "idle and open");
        server.write_all(b"x").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        assert!(!probe(&client), "data nobody asked for");
        let mut byte = [0];
        (&client).read_exact(&mut byte).unwrap();
        drop(server);
        std::thread::sleep(Duration::from_millis(50));
        assert!(!probe(&client), "closed by the peer");
    }
}
