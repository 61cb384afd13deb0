//! The man pages' examples: real command lines, each shown on the page of
//! the command it runs, on the pages above it and on atlas-admin(1). The
//! tests run every line of every page's EXAMPLES section through the
//! command line's own parser, so an example cannot drift from the options.

/// One example: what it does, and the shell lines that do it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The subcommands it runs, e.g. `["org-api-keys", "delete"]`.
    pub command: &'static [&'static str],
    /// What it does, a sentence ending with a colon.
    pub about: &'static str,
    /// The shell lines as typed: a line ending in `\` or `|` goes on on
    /// the next one.
    pub lines: &'static [&'static str],
}

/// Every example, in the order atlas-admin(1) shows them.
pub const EXAMPLES: &[Example] = &[
    Example {
        command: &["org-api-keys", "delete"],
        about: "Revoke a leaked key by its public key (the user name a leak report shows), \
                then read it back to make sure it is gone:",
        lines: &[
            "atlas-admin org-api-keys delete --org 5f1a2b3c4d5e6f7a8b9c0d1e \\",
            "    abcdefgh --verify",
        ],
    },
    Example {
        command: &["org-api-keys", "delete"],
        about: "Delete the keys listed in a file (IDs or public keys, one a line), eight at \
                a time, with a JSON line per key and a summary; keys already gone are \
                reported as already_gone and the run still exits 0:",
        lines: &[
            "atlas-admin org-api-keys delete --org 5f1a2b3c4d5e6f7a8b9c0d1e \\",
            "    --from-file leaked-keys.txt --missing-ok --concurrency 8 \\",
            "    --output json > report.jsonl",
        ],
    },
    Example {
        command: &["org-api-keys", "delete"],
        about: "Resume that run after an interrupt (exit 130 or 143): the keys not attempted, \
                and any whose outcome is unknown, go to a new run:",
        lines: &[
            "jq -r 'select(.outcome == \"not_attempted\" or .outcome == \"unknown\")",
            "       | .key' report.jsonl |",
            "  atlas-admin org-api-keys delete --org 5f1a2b3c4d5e6f7a8b9c0d1e \\",
            "    --from-file - --missing-ok --output json > resumed.jsonl",
        ],
    },
    Example {
        command: &["org-api-keys", "create"],
        about: "Create a key for CI, usable from one network only; its private key goes to a \
                new file of mode 0600 and nowhere else:",
        lines: &[
            "atlas-admin org-api-keys create --org 5f1a2b3c4d5e6f7a8b9c0d1e \\",
            "    --desc \"CI deploy\" --role ORG_MEMBER \\",
            "    --access-list 203.0.113.0/24 --private-key-out ci-key.txt",
        ],
    },
    Example {
        command: &["org-api-keys", "rotate"],
        about: "Replace a key by a new one with the same roles and access list, and delete \
                the old key once the new one's private key is written:",
        lines: &[
            "atlas-admin org-api-keys rotate --org 5f1a2b3c4d5e6f7a8b9c0d1e \\",
            "    abcdefgh --private-key-out new-key.txt --delete-old",
        ],
    },
    Example {
        command: &["api"],
        about: "Call any endpoint: the IDs of the first 100 keys of an organization:",
        lines: &[
            "atlas-admin api GET /orgs/5f1a2b3c4d5e6f7a8b9c0d1e/apiKeys \\",
            "    --query itemsPerPage=100 | jq -r '.results[].id'",
        ],
    },
];

/// The examples shown on the page of the command `path` (empty for
/// atlas-admin(1)): those that run it or one of its subcommands.
pub fn for_page<'p>(path: &'p [&str]) -> impl Iterator<Item = &'static Example> + 'p {
    EXAMPLES
        .iter()
        .filter(move |example| example.command.starts_with(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_shows_the_examples_of_its_commands() {
        assert_eq!(for_page(&[]).count(), EXAMPLES.len());
        assert_eq!(for_page(&["org-api-keys"]).count(), 5);
        assert_eq!(for_page(&["org-api-keys", "delete"]).count(), 3);
        assert_eq!(for_page(&["org-api-keys", "rotate"]).count(), 1);
        assert_eq!(for_page(&["api"]).count(), 1);
        assert_eq!(for_page(&["completions"]).count(), 0);
    }

    #[test]
    fn lines_fit_a_terminal_page() {
        // The man page indents examples by 11 columns; 80 is the width.
        for example in EXAMPLES {
            for line in example.lines {
                assert!(line.len() <= 69, "too wide for the page: {line}");
            }
        }
    }
}
