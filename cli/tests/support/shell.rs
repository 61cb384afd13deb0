//! Shell command lines as a reader copies them from the docs (the man
//! pages' EXAMPLES, the README's and docs/*.md's code blocks): split as a
//! POSIX shell splits them, then handed to the command line's own parser.

use atlas_admin_cli::args::Cli;
use clap::CommandFactory;

/// A shell word or one of the operators that end a simple command.
#[derive(Debug, PartialEq)]
pub enum Token {
    Word(String),
    /// `|`, `;`, `&`, `(`, `)`, a newline, or `>` (any redirection: its
    /// next word is a file).
    Operator(char),
}

/// The tokens of `script`, as a POSIX shell splits them: quotes, a
/// backslash before a newline (the line goes on) or before a character,
/// comments. Expansions (`$KEY`, `"$KEY"`, `$(...)`, `` `...` ``) are not
/// expanded: they stand in the word as written, as placeholders do.
/// An unterminated quote is an error.
pub fn tokens(script: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = script.chars().peekable();
    let unterminated = |what: &str| format!("an unterminated {what} in {script:?}");
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let text = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => text.push(c),
                        None => return Err(unterminated("'")),
                    }
                }
            }
            '"' => {
                let text = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') if matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) => {
                            text.push(chars.next().unwrap());
                        }
                        Some('\\') if chars.peek() == Some(&'\n') => {
                            chars.next();
                        }
                        Some(c) => text.push(c),
                        None => return Err(unterminated("\"")),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(c) => word.get_or_insert_with(String::new).push(c),
                None => return Err(format!("a backslash at the end of {script:?}")),
            },
            // A command substitution, kept whole as one placeholder.
            '$' if chars.peek() == Some(&'(') => {
                let text = word.get_or_insert_with(String::new);
                text.push('$');
                let mut depth = 0;
                loop {
                    match chars.next() {
                        Some(c) => {
                            text.push(c);
                            match c {
                                '(' => depth += 1,
                                ')' if depth == 1 => break,
                                ')' => depth -= 1,
                                _ => {}
                            }
                        }
                        None => return Err(unterminated("$(")),
                    }
                }
            }
            '`' => {
                let text = word.get_or_insert_with(String::new);
                text.push('`');
                loop {
                    match chars.next() {
                        Some('`') => break,
                        Some(c) => text.push(c),
                        None => return Err(unterminated("`")),
                    }
                }
                text.push('`');
            }
            '#' if word.is_none() => {
                while chars.peek().is_some_and(|c| *c != '\n') {
                    chars.next();
                }
            }
            ' ' | '\t' => tokens.extend(word.take().map(Token::Word)),
            '>' | '<' => {
                // `2>`, `2>&1`, `>>`, `<<`: a redirection whatever its form;
                // its target (the next word, or `&N` here) is no argument.
                if word
                    .as_deref()
                    .is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
                {
                    word = None;
                }
                tokens.extend(word.take().map(Token::Word));
                while chars.peek() == Some(&c) {
                    chars.next();
                }
                if chars.peek() == Some(&'&') {
                    chars.next();
                }
                tokens.push(Token::Operator('>'));
            }
            '|' | ';' | '&' | '\n' | '(' | ')' => {
                tokens.extend(word.take().map(Token::Word));
                tokens.push(Token::Operator(c));
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    tokens.extend(word.take().map(Token::Word));
    Ok(tokens)
}

/// The simple commands of `script`, each as the words its program gets:
/// redirections and leading `NAME=value` assignments left out.
pub fn commands(script: &str) -> Result<Vec<Vec<String>>, String> {
    let mut commands = vec![Vec::new()];
    let mut redirected = false;
    for token in tokens(script)? {
        match token {
            Token::Word(_) if redirected => redirected = false,
            Token::Word(word) => {
                let words: &mut Vec<String> = commands.last_mut().unwrap();
                if !(words.is_empty() && is_assignment(&word)) {
                    words.push(word);
                }
            }
            Token::Operator('>') => redirected = true,
            Token::Operator(_) => commands.push(Vec::new()),
        }
    }
    commands.retain(|words| !words.is_empty());
    Ok(commands)
}

/// `NAME=value`, as a shell reads a word before the command's name.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The `atlas-admin` command lines of `script`, their arguments as the
/// program gets them (redirections left out).
pub fn atlas_admin_lines(script: &str) -> Vec<Vec<String>> {
    commands(script)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|words| words[0] == "atlas-admin")
        .collect()
}

/// The subcommand names a parse of `words` reached.
pub fn subcommands(words: &[String]) -> Result<Vec<String>, clap::Error> {
    let mut matches = &Cli::command().try_get_matches_from(words)?;
    let mut path = Vec::new();
    while let Some((name, sub)) = matches.subcommand() {
        path.push(name.to_owned());
        matches = sub;
    }
    Ok(path)
}
