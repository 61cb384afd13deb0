//! The bytes of one connection: plain TCP, or TLS over it driven here with
//! rustls' own calls, so a refused certificate arrives as a
//! `rustls::Error` rather than inside an `io::Error`.

use rustls::ClientConnection;
use std::io::{self, Read, Write};
use std::net::TcpStream;

/// What went wrong on a connection.
#[derive(Debug)]
pub(super) enum StreamError {
    /// The socket timeout expired.
    TimedOut,
    /// The socket failed (reset, broken pipe...).
    Io(io::Error),
    /// TLS failed: a certificate, an alert, a record that does not decrypt.
    Tls(rustls::Error),
}

impl From<io::Error> for StreamError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => StreamError::TimedOut,
            _ => StreamError::Io(e),
        }
    }
}

/// A connection's byte stream.
#[derive(Debug)]
pub(super) enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream>),
}

/// TLS over TCP.
#[derive(Debug)]
pub(super) struct TlsStream {
    tls: ClientConnection,
    tcp: TcpStream,
}

impl Stream {
    /// The socket below, for timeouts and the liveness probe.
    pub(super) fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(tls) => &tls.tcp,
        }
    }

    /// Sends all of `bytes`.
    pub(super) fn write_all(&mut self, bytes: &[u8]) -> Result<(), StreamError> {
        match self {
            Stream::Plain(tcp) => write_all(tcp, bytes),
            Stream::Tls(tls) => tls.write_all(bytes),
        }
    }

    /// Reads what has arrived into `buf`, waiting for something; 0 when
    /// the peer closed the connection.
    pub(super) fn read(&mut self, buf: &mut [u8]) -> Result<usize, StreamError> {
        match self {
            Stream::Plain(tcp) => loop {
                match tcp.read(buf) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => return Ok(other?),
                }
            },
            Stream::Tls(tls) => tls.read(buf),
        }
    }

    /// TLS over `tcp`, its handshake completed within the socket
    /// timeouts already set.
    pub(super) fn tls(tcp: TcpStream, tls: ClientConnection) -> Result<Stream, StreamError> {
        let mut stream = Box::new(TlsStream { tls, tcp });
        stream.handshake()?;
        Ok(Stream::Tls(stream))
    }
}

fn write_all(mut tcp: &TcpStream, mut bytes: &[u8]) -> Result<(), StreamError> {
    while !bytes.is_empty() {
        match tcp.write(bytes) {
            Ok(0) => return Err(StreamError::Io(io::ErrorKind::WriteZero.into())),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

impl TlsStream {
    fn handshake(&mut self) -> Result<(), StreamError> {
        while self.tls.is_handshaking() {
            self.flush()?;
            if self.tls.is_handshaking() && self.tls.wants_read() && self.receive()? == 0 {
                return Err(StreamError::Io(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the server closed the connection during the TLS handshake",
                )));
            }
        }
        self.flush()
    }

    /// Sends the TLS records rustls has ready.
    fn flush(&mut self) -> Result<(), StreamError> {
        while self.tls.wants_write() {
            self.tls.write_tls(&mut self.tcp)?;
        }
        Ok(())
    }

    /// Reads TLS records from the socket and decrypts them; 0 at the end
    /// of the TCP stream. A record that fails is answered with the alert
    /// rustls prepared before the error is returned.
    fn receive(&mut self) -> Result<usize, StreamError> {
        let n = loop {
            match self.tls.read_tls(&mut self.tcp) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        if let Err(e) = self.tls.process_new_packets() {
            let _ = self.flush();
            return Err(StreamError::Tls(e));
        }
        Ok(n)
    }

    fn write_all(&mut self, mut bytes: &[u8]) -> Result<(), StreamError> {
        while !bytes.is_empty() {
            // rustls takes as much as its buffer limit allows.
            let n = self.tls.writer().write(bytes)?;
            bytes = &bytes[n..];
            self.flush()?;
            if n == 0 && !self.tls.wants_write() {
                return Err(StreamError::Io(io::ErrorKind::WriteZero.into()));
            }
        }
        Ok(())
    }

    fn read(&mut self, buf: &mut [u8]) -> Result<usize, StreamError> {
        loop {
            match self.tls.reader().read(buf) {
                Ok(n) => return Ok(n),
                // A peer that closed without close_notify: the HTTP framing
                // decides whether anything is missing.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(StreamError::Io(e)),
            }
            let received = self.receive()?;
            // Records that need an answer (a key update) are answered now.
            self.flush()?;
            if received == 0 {
                return match self.tls.reader().read(buf) {
                    Ok(n) => Ok(n),
                    Err(_) => Ok(0),
                };
            }
        }
    }
}
