//! Values as text for people: one line each, whatever a server or a user
//! put in them, and tables whose columns line up.

use serde_json::Value;

/// `text` with every control character (a line break, a tab, an escape
/// sequence) written as its escape, so it stays on one line and cannot
/// move the cursor or recolour a terminal.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A value inside a sentence: a plain word as it is, other text quoted as
/// JSON (which escapes control characters), a list joined by commas.
pub fn inline(value: &Value) -> String {
    match value {
        Value::String(text) if is_word(text) => text.clone(),
        Value::Array(items) if items.is_empty() => "none".to_owned(),
        Value::Array(items) => items.iter().map(inline).collect::<Vec<_>>().join(","),
        // Always one line, control characters escaped.
        other => other.to_string(),
    }
}

/// Whether `text` can stand in a sentence unquoted.
fn is_word(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '"' | ',' | '(' | ')'))
}

/// A value in a table's cell: text cleaned, a list joined by commas, `-`
/// for nothing.
pub fn cell(value: &Value) -> String {
    match value {
        Value::String(text) if text.is_empty() => "-".to_owned(),
        Value::String(text) => clean(text),
        Value::Null => "-".to_owned(),
        Value::Array(items) if items.is_empty() => "-".to_owned(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// `rows` under `headings`, each column as wide as its widest cell and two
/// spaces apart; the last column is not padded.
pub fn table(headings: &[&str], rows: &[Vec<String>]) -> Vec<String> {
    let mut widths: Vec<usize> = headings.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.zip(&widths).enumerate() {
            if i + 1 == widths.len() {
                text.push_str(cell);
            } else {
                let pad = width.saturating_sub(cell.chars().count());
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        text.trim_end().to_owned()
    };
    let mut lines = vec![line(&mut headings.iter().copied())];
    lines.extend(
        rows.iter()
            .map(|row| line(&mut row.iter().map(String::as_str))),
    );
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(clean("CI\nkey\t\u{1b}[31mred"), "CI\\nkey\\t\\u{1b}[31mred");
        assert_eq!(clean("clé de déploiement"), "clé de déploiement");
    }

    #[test]
    fn inline_values_quote_what_is_not_a_word() {
        assert_eq!(inline(&json!("abcdefgh")), "abcdefgh");
        assert_eq!(inline(&json!("CI deploy")), "\"CI deploy\"");
        assert_eq!(inline(&json!("a\nb")), "\"a\\nb\"");
        assert_eq!(inline(&json!("")), "\"\"");
        assert_eq!(
            inline(&json!(["ORG_MEMBER", "ORG_READ_ONLY"])),
            "ORG_MEMBER,ORG_READ_ONLY"
        );
        assert_eq!(inline(&json!([])), "none");
    }

    #[test]
    fn tables_line_up_by_characters_and_keep_one_line_per_row() {
        let rows = vec![
            vec![
                "a".to_owned(),
                cell(&json!("déjà\nvu")),
                cell(&json!(["X", "Y"])),
            ],
            vec!["bbbb".to_owned(), cell(&json!("")), cell(&Value::Null)],
        ];
        assert_eq!(
            table(&["ID", "DESCRIPTION", "ROLES"], &rows),
            [
                "ID    DESCRIPTION  ROLES",
                "a     déjà\\nvu     X,Y",
                "bbbb  -            -",
            ]
        );
    }
}
