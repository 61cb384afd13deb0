//! `--private-key-out`: where a new key's private key goes, made ready
//! before anything is sent and written once, the moment the key exists.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The destination of a private key: a file made for it, or standard
/// output. A file is removed again unless the secret was written to it
/// whole, so a failed run leaves neither an empty file nor half a secret.
#[derive(Debug)]
pub enum PrivateKeyOut {
    /// A new file, opened for writing with mode 0600.
    File {
        /// Where it is.
        path: PathBuf,
        /// The open file; `None` once the secret was written.
        file: Option<File>,
    },
    /// `-`: standard output, which then holds the private key alone.
    Stdout,
}

impl PrivateKeyOut {
    /// Opens `path` (`-` for standard output). A file is created, and must
    /// not exist yet: an existing file (or a link where it would go) is
    /// refused, so no earlier secret is overwritten. The error names the
    /// file.
    pub fn open(path: &Path) -> Result<Self, String> {
        if path == Path::new("-") {
            return Ok(PrivateKeyOut::Stdout);
        }
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| {
                let why = if e.kind() == io::ErrorKind::AlreadyExists {
                    "it already exists, and is not overwritten".to_owned()
                } else {
                    e.to_string()
                };
                format!(
                    "cannot create --private-key-out {}: {why}; nothing was sent",
                    path.display()
                )
            })?;
        Ok(PrivateKeyOut::File {
            path: path.to_owned(),
            file: Some(file),
        })
    }

    /// Whether the private key goes to standard output.
    pub fn is_stdout(&self) -> bool {
        matches!(self, PrivateKeyOut::Stdout)
    }

    /// Where the private key goes, as results name it: the file's path,
    /// or `-`.
    pub fn name(&self) -> String {
        match self {
            PrivateKeyOut::File { path, .. } => path.display().to_string(),
            PrivateKeyOut::Stdout => "-".to_owned(),
        }
    }

    /// Writes `secret` and a line break, in one write, to the file (and
    /// syncs it to disk) or to `stdout` (and flushes it).
    pub fn write(&mut self, secret: &str, stdout: &mut dyn Write) -> io::Result<()> {
        // The CLI's one copy of the secret, wiped when dropped. One write
        // of a whole line also passes standard output's line buffer by,
        // so no copy stays behind in it.
        let mut line = Zeroizing::new(Vec::with_capacity(secret.len() + 1));
        line.extend_from_slice(secret.as_bytes());
        line.push(b'\n');
        match self {
            PrivateKeyOut::File { file, .. } => {
                let open = file
                    .as_mut()
                    .ok_or_else(|| io::Error::other("the private key was already written"))?;
                open.write_all(&line)?;
                open.sync_all()?;
                // Written whole: the file stays.
                *file = None;
                Ok(())
            }
            PrivateKeyOut::Stdout => {
                stdout.write_all(&line)?;
                stdout.flush()
            }
        }
    }
}

impl Drop for PrivateKeyOut {
    fn drop(&mut self) {
        if let PrivateKeyOut::File {
            path,
            file: Some(_),
        } = self
        {
            // Never written whole: empty, or half a secret. Nothing else
            // can be done if removing it fails; the run reports its error.
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("atlas-admin-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_a_new_file_with_mode_0600_and_refuses_an_existing_one() {
        let dir = dir("key-out");
        let path = dir.join("key");
        let mut out = PrivateKeyOut::open(&path).unwrap();
        assert_eq!(out.name(), path.display().to_string());
        out.write("s3cr3t", &mut io::sink()).unwrap();
        drop(out);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "s3cr3t\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");

        let err = PrivateKeyOut::open(&path).unwrap_err();
        assert!(err.contains(&*path.to_string_lossy()), "{err}");
        assert!(err.contains("already exists"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "s3cr3t\n");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_file_never_written_is_removed() {
        let dir = dir("key-out-unused");
        let path = dir.join("key");
        drop(PrivateKeyOut::open(&path).unwrap());
        assert!(!path.exists());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn standard_output_gets_the_line() {
        let mut out = PrivateKeyOut::open(Path::new("-")).unwrap();
        assert!(out.is_stdout());
        let mut stdout = Vec::new();
        out.write("s3cr3t", &mut stdout).unwrap();
        assert_eq!(stdout, b"s3cr3t\n");
    }
}
