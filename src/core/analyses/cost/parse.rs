//! Reading a cost table from a CSV file (`category, arm, amount`; optional `quantity`,
//! `unit_price`, `basis`, `hours`, `note`). Lenient about what people actually write: header case
//! and spacing, title lines above the header, `,` `;` tab or `|` separators (read by the same
//! decoder, delimiter guess and tokenizer as participant files), currency symbols ("$1,200", "1.200,50 €"), thousands
//! separators, decimal commas in `;` files, a "Total" row. Rows it cannot read are left out and
//! located (row, column) in plain language. Never panics.

use super::table::{CostArm, CostBasis, CostItem, CostTable, CostValue};
use crate::core::dataset::{shorten, Diagnostic, DiagnosticKind};
use crate::core::ingest::sniff::sniff_delimiter;
use crate::core::ingest::tokenize::tokenize;
use crate::core::recipe::GroupLevels;
use std::collections::BTreeSet;

/// A cost file read into a table, with notes about rows left out or read with a guess.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCosts {
    pub table: CostTable,
    /// Located notes: `row` is the 1-based data row (the first row after the header is row 1).
    pub diagnostics: Vec<Diagnostic>,
    /// What the reader did, in words (separator, decimal mark, currency).
    pub notes: Vec<String>,
}

/// Why a cost file could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub enum CostFileError {
    /// Nothing but blanks.
    Empty,
    /// No non-blank record.
    NoRows,
    /// No header row with an amount column, and the first row is not `category, arm, amount`;
    /// the first row's cells.
    NoHeader { found: Vec<String> },
}

impl std::fmt::Display for CostFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "This cost file could not be read: ")?;
        match self {
            CostFileError::Empty => write!(f, "it is empty."),
            CostFileError::NoRows => write!(f, "it has no rows."),
            CostFileError::NoHeader { found } => write!(
                f,
                "it needs columns named category, arm and amount (found: {}).",
                found.iter().map(|h| format!("“{}”", shorten(h))).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// Which decimal mark to expect in amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalHint {
    /// "1,200.50": comma-separated files.
    Dot,
    /// "1.200,50": `;`-separated files.
    Comma,
    /// Decide per cell.
    Auto,
}

/// An amount read from a cell, with the currency written beside it, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    pub value: f64,
    pub currency: Option<String>,
}

/// Currency symbols recognised before or after a number (longest first).
const SYMBOLS: &[&str] = &[
    "US$", "CA$", "AU$", "NZ$", "HK$", "R$", "C$", "A$", "$", "€", "£", "¥", "₹", "₦", "₱", "₩", "₪", "₺", "₽", "₫",
    "฿", "₴", "₵", "zł", "kr",
];

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\'' | '’')
}

/// Strips a currency symbol or a three-letter code (USD, EUR, KES) from the start (`front`) or
/// the end of `s`, returning the rest and the currency.
fn strip_currency(s: &str, front: bool) -> (&str, Option<String>) {
    for sym in SYMBOLS {
        let rest = if front { s.strip_prefix(sym) } else { s.strip_suffix(sym) };
        if let Some(rest) = rest {
            return (rest.trim(), Some((*sym).to_string()));
        }
    }
    let chars: Vec<char> = s.chars().collect();
    if chars.len() > 3 {
        let (code, next): (String, Option<&char>) = if front {
            (chars[..3].iter().collect(), chars.get(3))
        } else {
            (chars[chars.len() - 3..].iter().collect(), chars.get(chars.len() - 4))
        };
        let is_code = code.chars().all(|c| c.is_ascii_uppercase());
        let separated = next.is_some_and(|c| c.is_whitespace() || c.is_ascii_digit() || *c == '-');
        if is_code && separated {
            let rest = if front { &s[3..] } else { &s[..s.len() - 3] };
            return (rest.trim(), Some(code));
        }
    }
    (s, None)
}

/// The ISO code of an unambiguous currency symbol ("€" → "EUR"); other labels as they are.
fn currency_code(c: &str) -> &str {
    match c {
        "€" => "EUR",
        "£" => "GBP",
        "₹" => "INR",
        "₦" => "NGN",
        "₱" => "PHP",
        "₩" => "KRW",
        "₪" => "ILS",
        "₺" => "TRY",
        "₽" => "RUB",
        "₫" => "VND",
        "฿" => "THB",
        "₴" => "UAH",
        "₵" => "GHS",
        "zł" => "PLN",
        "US$" => "USD",
        "CA$" | "C$" => "CAD",
        "AU$" | "A$" => "AUD",
        "NZ$" => "NZD",
        "HK$" => "HKD",
        "R$" => "BRL",
        other => other,
    }
}

/// True when `parts` are thousands groups: 1–3 digits, then groups of exactly 3.
fn valid_groups(parts: &[&str]) -> bool {
    let Some((first, rest)) = parts.split_first() else { return false };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(first) && first.len() <= 3 && rest.iter().all(|p| p.len() == 3 && digits(p))
}

/// Reads an amount: "1200", "1,200.50", "$1,200", "1.200,50 €", "(300)" (negative), "USD 45".
/// `Err` holds a plain reason to show the user.
pub fn parse_amount(cell: &str, hint: DecimalHint) -> Result<Money, String> {
    let mut s = cell.trim();
    if s.is_empty() {
        return Err("the amount is empty".into());
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    let take_sign = |s: &mut &str, negative: &mut bool| -> bool {
        for (sign, neg) in [("-", true), ("−", true), ("+", false)] {
            if let Some(rest) = s.strip_prefix(sign) {
                *s = rest.trim();
                *negative |= neg;
                return true;
            }
        }
        false
    };
    let signed = take_sign(&mut s, &mut negative);
    let (rest, cur_front) = strip_currency(s, true);
    s = rest;
    if !signed {
        take_sign(&mut s, &mut negative);
    }
    let (rest, cur_back) = strip_currency(s, false);
    s = rest;
    let currency = match (cur_front, cur_back) {
        (Some(a), Some(b)) if a != b => return Err(format!("it has two currencies ({a} and {b})")),
        (a, b) => a.or(b),
    };
    let body: String = s.chars().filter(|c| !is_group_space(*c)).collect();
    if body.is_empty()
        || !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        || !body.chars().any(|c| c.is_ascii_digit())
    {
        return Err("it is not a number".into());
    }
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    // (thousands separator, decimal mark)
    let (thousands, decimal): (Option<char>, Option<char>) = match (dots, commas) {
        (0, 0) => (None, None),
        (_, 0) if dots > 1 => (Some('.'), None),
        (0, _) if commas > 1 => (Some(','), None),
        (1, 0) | (0, 1) => {
            let mark = if dots == 1 { '.' } else { ',' };
            let (int, frac) = body.split_once(mark).unwrap_or((&body, ""));
            let looks_grouped = frac.len() == 3 && valid_groups(&[int, frac]) && int != "0";
            match (mark, hint) {
                ('.', DecimalHint::Comma) if looks_grouped => (Some('.'), None),
                ('.', _) => (None, Some('.')),
                (_, DecimalHint::Comma) => (None, Some(',')),
                (_, DecimalHint::Dot) if looks_grouped => (Some(','), None),
                (_, DecimalHint::Dot) => {
                    return Err(format!(
                        "the comma in “{}” could be a decimal mark or a thousands separator; write it as {} or {}",
                        shorten(cell.trim()),
                        body.replace(',', "."),
                        body.replace(',', "")
                    ))
                }
                (_, _) if looks_grouped => (Some(','), None),
                (_, _) => (None, Some(',')),
            }
        }
        _ => {
            // Both marks: the last one is the decimal mark.
            let last_dot = body.rfind('.').unwrap_or(0);
            let last_comma = body.rfind(',').unwrap_or(0);
            if last_dot > last_comma {
                (Some(','), Some('.'))
            } else {
                (Some('.'), Some(','))
            }
        }
    };
    let (int, frac) = match decimal {
        Some(d) => {
            let (i, f) = body.rsplit_once(d).unwrap_or((&body, ""));
            if f.contains(['.', ',']) || f.is_empty() {
                return Err("its decimal mark is in the wrong place".into());
            }
            (i.to_string(), f.to_string())
        }
        None => (body.clone(), String::new()),
    };
    let int_digits = match thousands {
        Some(t) => {
            let parts: Vec<&str> = int.split(t).collect();
            if !valid_groups(&parts) {
                return Err(format!("its thousands separators are out of place (“{}”)", shorten(cell.trim())));
            }
            parts.concat()
        }
        None => int,
    };
    if int_digits.contains(['.', ',']) {
        return Err("it is not a number".into());
    }
    let text = format!(
        "{}{}.{}",
        if negative { "-" } else { "" },
        if int_digits.is_empty() { "0" } else { &int_digits },
        if frac.is_empty() { "0" } else { &frac }
    );
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Money { value: v, currency }),
        _ => Err("it is not a number".into()),
    }
}

/// Lower case, with `_`, `-` and runs of spaces as single spaces.
fn norm(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads an arm cell: intervention / control / both (shared), with common synonyms and the
/// recipe's own group names.
pub fn parse_arm(cell: &str, levels: Option<&GroupLevels>) -> Option<CostArm> {
    let t = norm(cell);
    if let Some(l) = levels {
        if l.intervention.as_deref().is_some_and(|x| norm(x) == t && !t.is_empty()) {
            return Some(CostArm::Intervention);
        }
        if l.control.as_deref().is_some_and(|x| norm(x) == t && !t.is_empty()) {
            return Some(CostArm::Control);
        }
    }
    match t.as_str() {
        "intervention" | "intervention arm" | "intervention group" | "treatment" | "program" | "programme" | "int"
        | "i" | "tx" | "experimental" => Some(CostArm::Intervention),
        "control" | "control arm" | "control group" | "comparison" | "ctrl" | "c" | "usual care" | "waitlist"
        | "wait list" => Some(CostArm::Control),
        "both" | "both arms" | "shared" | "all" | "common" | "overall" | "overhead" => Some(CostArm::Shared),
        _ => None,
    }
}

/// Reads a basis cell: blank or "fixed" / "total" → fixed; "per participant" and the like → per participant.
pub fn parse_basis(cell: &str) -> Option<CostBasis> {
    match norm(cell).as_str() {
        "" | "fixed" | "total" | "lump sum" | "one off" | "once" => Some(CostBasis::Fixed),
        "per participant" | "per person" | "per head" | "per enrolled" | "per capita" | "participant" | "each"
        | "variable" => Some(CostBasis::PerParticipant),
        _ => None,
    }
}

/// Column roles in a cost file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Category,
    Arm,
    Amount,
    Quantity,
    UnitPrice,
    Basis,
    Hours,
    Note,
}

/// The role of a header cell, and a currency written in brackets ("Amount ($)").
fn header_role(h: &str) -> (Option<Role>, Option<String>) {
    let mut text = h.trim().trim_start_matches('\u{feff}').to_string();
    let mut currency = None;
    if let (Some(a), Some(b)) = (text.find(['(', '[']), text.rfind([')', ']'])) {
        if a < b {
            let inside = text[a + 1..b].trim().to_string();
            if SYMBOLS.contains(&inside.as_str())
                || (inside.len() == 3 && inside.chars().all(|c| c.is_ascii_alphabetic()))
            {
                currency = Some(if inside.len() == 3 { inside.to_uppercase() } else { inside });
            }
            text = format!("{}{}", &text[..a], &text[b + 1..]);
        }
    }
    let k = norm(&text).replace(' ', "_");
    let role = match k.as_str() {
        "category" | "cost_category" | "ingredient" | "item" | "cost_item" | "line_item" | "description"
        | "resource" => Some(Role::Category),
        "arm" | "group" | "condition" | "applies_to" | "arm_group" => Some(Role::Arm),
        "quantity" | "qty" | "units" | "number_of_units" | "n_units" => Some(Role::Quantity),
        "unit_price" | "unit_cost" | "price" | "price_per_unit" | "cost_per_unit" | "rate" => Some(Role::UnitPrice),
        "basis" | "cost_type" | "per" | "scales_with" | "fixed_or_per_participant" => Some(Role::Basis),
        "hours" | "volunteer_hours" | "hrs" => Some(Role::Hours),
        "note" | "notes" | "comment" | "comments" => Some(Role::Note),
        "amount" | "cost" | "total" | "total_cost" | "value" | "sum" | "expenditure" | "spend" => Some(Role::Amount),
        _ if k.starts_with("amount") || k.starts_with("cost_") || k.starts_with("total_") => Some(Role::Amount),
        _ => None,
    };
    (role, currency)
}

/// Category cells that are a sum of the rows above, not an ingredient.
fn is_total_row(category: &str) -> bool {
    matches!(
        norm(category).as_str(),
        "total" | "totals" | "grand total" | "sum" | "subtotal" | "sub total" | "total cost" | "total costs"
    )
}

/// The trimmed cell of column `c`, or "" when the row is short or there is no such column.
fn cell_at(cells: &[String], c: Option<usize>) -> &str {
    c.and_then(|c| cells.get(c)).map(|s| s.as_str()).unwrap_or("")
}

/// A non-blank record of a cost file: the line it starts on and its trimmed cells.
type CostRecord = (usize, Vec<String>);

/// Records read before the header row is found (title lines above the header are skipped).
const HEADER_SEARCH_RECORDS: usize = 5;

/// The non-blank records of a cost file with their starting lines, read by the same decoder,
/// delimiter guess and tokenizer as participant files (`ingest`): `,` `;` tab or `|`, quotes
/// and line breaks inside cells as there. Quotes left open are located diagnostics.
fn cost_records(text: &str) -> (char, Vec<CostRecord>, Vec<Diagnostic>) {
    let delim = sniff_delimiter(text);
    let tokens = tokenize(text, delim);
    let diagnostics = tokens
        .open_quotes
        .iter()
        .map(|q| Diagnostic {
            kind: DiagnosticKind::Unreadable,
            line: Some(q.line),
            row: None,
            column: None,
            message: format!(
                "Line {} of the cost file opens a quote that is never closed; the quote was read as an ordinary character.",
                q.line
            ),
        })
        .collect();
    let records = tokens
        .records
        .into_iter()
        .filter(|r| !r.is_blank())
        .map(|r| (r.line, r.fields.iter().map(|c| c.trim().to_string()).collect()))
        .collect();
    (delim, records, diagnostics)
}

/// The roles of a header row (the first column with a role keeps it) and currencies written in
/// its cells.
fn header_roles(first: &[String]) -> (Vec<Option<Role>>, BTreeSet<String>) {
    let mut roles: Vec<Option<Role>> = Vec::new();
    let mut currency = BTreeSet::new();
    for h in first {
        let (role, cur) = header_role(h);
        let role = role.filter(|r| !roles.contains(&Some(*r)));
        roles.push(role);
        currency.extend(cur);
    }
    (roles, currency)
}

fn has_value_column(roles: &[Option<Role>]) -> bool {
    roles.iter().any(|r| matches!(r, Some(Role::Amount | Role::Quantity | Role::UnitPrice | Role::Hours)))
}

/// Reads a cost CSV. `levels` (the recipe's group names) are accepted as arm names too.
pub fn parse_cost_csv(bytes: &[u8], levels: Option<&GroupLevels>) -> Result<ParsedCosts, CostFileError> {
    let text = crate::core::ingest::decode::decode_lossy(bytes);
    if text.trim().is_empty() {
        return Err(CostFileError::Empty);
    }
    let (delim, records, mut diagnostics) = cost_records(&text);
    let hint = match delim {
        ';' => DecimalHint::Comma,
        ',' => DecimalHint::Dot,
        _ => DecimalHint::Auto,
    };
    let mut notes = Vec::new();
    if records.is_empty() {
        return Err(CostFileError::NoRows);
    }

    // Header: the first of the first records with a value column (title lines above it are left
    // out); without one, a header-less `category, arm, amount` file is accepted when its third
    // cell is an amount.
    let header_at =
        records.iter().take(HEADER_SEARCH_RECORDS).position(|(_, cells)| has_value_column(&header_roles(cells).0));
    let (names, mut roles, header_currency, data): (Vec<String>, _, _, &[CostRecord]) = match header_at {
        Some(h) => {
            let first = &records[h].1;
            if h > 0 {
                notes.push(format!(
                    "{} of the cost file, above its header row, {} read as a title and left out.",
                    if h == 1 { "The first line".to_string() } else { format!("The first {h} lines") },
                    if h == 1 { "was" } else { "were" }
                ));
            }
            let (roles, cur) = header_roles(first);
            (first.clone(), roles, cur, &records[h + 1..])
        }
        None => {
            let first = &records[0].1;
            if first.len() >= 3 && parse_amount(&first[2], hint).is_ok() {
                notes
                    .push("The cost file has no header row, so its columns were read as category, arm, amount.".into());
                (vec!["category".into(), "arm".into(), "amount".into()], Vec::new(), BTreeSet::new(), &records[..])
            } else {
                return Err(CostFileError::NoHeader { found: first.clone() });
            }
        }
    };
    if header_at.is_none() {
        roles = vec![Some(Role::Category), Some(Role::Arm), Some(Role::Amount)];
    }
    let col = |role: Role| roles.iter().position(|r| *r == Some(role));
    let (c_cat, c_arm, c_amount, c_qty, c_price, c_basis, c_hours, c_note) = (
        col(Role::Category),
        col(Role::Arm),
        col(Role::Amount),
        col(Role::Quantity),
        col(Role::UnitPrice),
        col(Role::Basis),
        col(Role::Hours),
        col(Role::Note),
    );
    if c_arm.is_none() {
        notes.push("The cost file has no arm column, so every cost was counted for the intervention arm.".into());
    }
    if delim == ';' {
        notes.push(
            "The cost file is separated by semicolons, so amounts were read with a decimal comma (1.200,50 = 1200.50)."
                .into(),
        );
    } else if delim == '\t' {
        notes.push("The cost file is separated by tabs.".into());
    } else if delim == '|' {
        notes.push("The cost file is separated by vertical bars (|).".into());
    }
    let name_of = |c: usize| names.get(c).cloned().unwrap_or_else(|| format!("column {}", c + 1));

    let mut items = Vec::new();
    let mut currencies: BTreeSet<String> = header_currency.clone();
    for (r, (line, cells)) in data.iter().enumerate() {
        let row = r + 1;
        let at = |c: Option<usize>| cell_at(cells, c);
        let bad = |column: Option<usize>, msg: String, diags: &mut Vec<Diagnostic>| {
            diags.push(Diagnostic {
                kind: DiagnosticKind::CostRow,
                line: Some(*line),
                row: Some(row),
                column: column.map(name_of),
                message: format!("Row {row} (line {line} of the cost file): {msg}"),
            });
        };
        let category = at(c_cat).to_string();
        if is_total_row(&category) {
            bad(
                c_cat,
                "this looks like a total, so it was left out (otherwise the costs would be counted twice).".into(),
                &mut diagnostics,
            );
            continue;
        }
        // Cells beyond the header: most often an amount with a thousands comma and no quotes.
        let mut amount_text = at(c_amount).to_string();
        let extra: Vec<&String> = cells.iter().skip(names.len()).filter(|c| !c.is_empty()).collect();
        if !extra.is_empty() {
            let last_is_amount = c_amount.is_some_and(|c| c + 1 == names.len());
            let joined = cells.get(c_amount.unwrap_or(0)..).map(|x| x.join(",")).unwrap_or_default();
            let rejoin_ok = delim == ','
                && last_is_amount
                && extra.iter().all(|e| e.len() >= 3 && e.bytes().take(3).all(|b| b.is_ascii_digit()))
                && parse_amount(&joined, DecimalHint::Dot).is_ok();
            if rejoin_ok {
                bad(
                    c_amount,
                    format!("the amount was split by its thousands comma and was read as {joined}; put such amounts in quotes (\"{joined}\") or write them without the comma."),
                    &mut diagnostics,
                );
                amount_text = joined;
            } else {
                bad(
                    None,
                    format!(
                        "it has more cells than the header ({} instead of {}), so it was left out. An amount with a thousands comma, like 1,200.50, needs quotes or no comma.",
                        cells.len(),
                        names.len()
                    ),
                    &mut diagnostics,
                );
                continue;
            }
        }
        let arm = match c_arm {
            None => CostArm::Intervention,
            Some(_) => match parse_arm(at(c_arm), levels) {
                Some(a) => a,
                None => {
                    let msg = if at(c_arm).is_empty() {
                        "the arm is empty, so this cost was left out. Write intervention, control or both.".to_string()
                    } else {
                        format!(
                            "“{}” is not an arm, so this cost was left out. Write intervention, control or both.",
                            shorten(at(c_arm))
                        )
                    };
                    bad(c_arm, msg, &mut diagnostics);
                    continue;
                }
            },
        };
        let basis = match parse_basis(at(c_basis)) {
            Some(b) => b,
            None => {
                bad(
                    c_basis,
                    format!(
                        "“{}” is not a basis, so this cost was left out. Write fixed or per participant.",
                        shorten(at(c_basis))
                    ),
                    &mut diagnostics,
                );
                continue;
            }
        };
        let mut read = |c: Option<usize>, text: &str, diags: &mut Vec<Diagnostic>| -> Option<f64> {
            match parse_amount(text, hint) {
                Ok(m) => {
                    currencies.extend(m.currency);
                    Some(m.value)
                }
                Err(why) => {
                    diags.push(Diagnostic { kind: DiagnosticKind::CostRow, line: None,
                        row: Some(row),
                        column: c.map(name_of),
                        message: format!(
                            "Row {row} (line {line} of the cost file): “{}” cannot be read as an amount: {why}. This cost was left out.",
                            shorten(text)
                        ),
                    });
                    None
                }
            }
        };
        let value = if !amount_text.is_empty() {
            match read(c_amount, &amount_text, &mut diagnostics) {
                Some(amount) => CostValue::Amount { amount },
                None => continue,
            }
        } else if !at(c_qty).is_empty() || !at(c_price).is_empty() {
            let q = read(c_qty, at(c_qty), &mut diagnostics);
            let p = read(c_price, at(c_price), &mut diagnostics);
            match (q, p) {
                (Some(quantity), Some(unit_price)) => CostValue::Quantity { quantity, unit_price },
                _ => continue,
            }
        } else if !at(c_hours).is_empty() {
            match read(c_hours, at(c_hours), &mut diagnostics) {
                Some(hours) => CostValue::VolunteerHours { hours },
                None => continue,
            }
        } else {
            bad(c_amount.or(c_qty).or(c_hours), "it has no amount, so it was left out.".into(), &mut diagnostics);
            continue;
        };
        let category = if category.is_empty() {
            bad(c_cat, "it has no category; it was kept as “uncategorised”.".into(), &mut diagnostics);
            "uncategorised".to_string()
        } else {
            category
        };
        let note = Some(at(c_note).to_string()).filter(|n| !n.is_empty());
        let item = CostItem { category, arm, basis, value, note };
        if item.money(Some(1.0)) < 0.0 {
            bad(
                c_amount,
                "the amount is negative; it was read as a saving that lowers the total.".into(),
                &mut diagnostics,
            );
        }
        items.push(item);
    }
    // "€" and "EUR" are one currency: compare by code, show the symbol when there is one.
    let codes: BTreeSet<&str> = currencies.iter().map(|c| currency_code(c)).collect();
    let currency = match codes.len() {
        0 => String::new(),
        1 => currencies
            .iter()
            .find(|c| c.chars().any(|ch| !ch.is_alphabetic()))
            .or(currencies.iter().next())
            .cloned()
            .unwrap_or_default(),
        _ => {
            notes.push(format!(
                "The cost file mixes currencies ({}); Lantern adds the amounts as written and does not convert them.",
                currencies.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
            String::new()
        }
    };
    if items.is_empty() {
        notes.push("No cost could be read from the file.".into());
    }
    Ok(ParsedCosts { table: CostTable { items, currency, volunteer_hourly_value: None }, diagnostics, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(s: &str, h: DecimalHint) -> Option<f64> {
        parse_amount(s, h).ok().map(|m| m.value)
    }

    #[test]
    fn amounts_as_people_write_them() {
        use DecimalHint::*;
        assert_eq!(amount("1200", Dot), Some(1200.0));
        assert_eq!(amount("1,200.50", Dot), Some(1200.5));
        assert_eq!(amount("$1,200", Dot), Some(1200.0));
        assert_eq!(parse_amount("$1,200", Dot).unwrap().currency.as_deref(), Some("$"));
        assert_eq!(amount("1.200,50", Comma), Some(1200.5));
        assert_eq!(amount("1 200,50 €", Comma), Some(1200.5));
        assert_eq!(parse_amount("1.200,50 €", Comma).unwrap().currency.as_deref(), Some("€"));
        assert_eq!(amount("12,5", Comma), Some(12.5));
        assert_eq!(amount("1.200", Comma), Some(1200.0));
        assert_eq!(amount("12.5", Comma), Some(12.5));
        assert_eq!(amount("USD 45", Dot), Some(45.0));
        assert_eq!(parse_amount("45 KES", Dot).unwrap().currency.as_deref(), Some("KES"));
        assert_eq!(amount("(300)", Dot), Some(-300.0));
        assert_eq!(amount("-$5", Dot), Some(-5.0));
        assert_eq!(amount("$-5", Dot), Some(-5.0));
        assert_eq!(amount("1,234,567.89", Auto), Some(1234567.89));
        assert_eq!(amount("1.234.567,89", Auto), Some(1234567.89));
        assert_eq!(amount("3,50", Auto), Some(3.5));
        assert_eq!(amount(".5", Dot), Some(0.5));
        // Not numbers, or ambiguous: refused with a reason, never guessed.
        for bad in ["", "abc", "12abc", "1,5", "1,20,0.5", "$", "1.2.3,4,5", "NaN", "inf", "1e3", "--5"] {
            assert!(parse_amount(bad, Dot).is_err(), "{bad}");
        }
        assert!(parse_amount("1,5", Dot).unwrap_err().contains("1.5"));
    }

    #[test]
    fn arms_and_bases() {
        assert_eq!(parse_arm(" Intervention ", None), Some(CostArm::Intervention));
        assert_eq!(parse_arm("usual_care", None), Some(CostArm::Control));
        assert_eq!(parse_arm("BOTH", None), Some(CostArm::Shared));
        assert_eq!(parse_arm("peer group", None), None);
        let levels = GroupLevels { intervention: Some("Peer group".into()), control: Some("Waitlist".into()) };
        assert_eq!(parse_arm("peer group", Some(&levels)), Some(CostArm::Intervention));
        assert_eq!(parse_basis("Per participant"), Some(CostBasis::PerParticipant));
        assert_eq!(parse_basis(""), Some(CostBasis::Fixed));
        assert_eq!(parse_basis("monthly"), None);
    }

    #[test]
    fn lenient_header_and_formats() {
        let csv =
            "\u{feff}Category , ARM,Amount ($)\nstipends,Intervention,\"1,200.50\"\ntraining,intervention,$300\nmaterials,control,50\n";
        let p = parse_cost_csv(csv.as_bytes(), None).unwrap();
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.table.items.len(), 3);
        assert_eq!(p.table.items[0].value, CostValue::Amount { amount: 1200.5 });
        assert_eq!(p.table.currency, "$");
        let t = p.table.totals(10, 10);
        assert_eq!((t.intervention, t.control), (1500.5, 50.0));

        let euro = "Category ; Arm ; Amount\nstipends;intervention;1.200,50 €\ntraining;both;300,25\n";
        let p = parse_cost_csv(euro.as_bytes(), None).unwrap();
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.table.currency, "€");
        assert_eq!(p.table.items.len(), 2);
        assert_eq!(p.table.items[0].value, CostValue::Amount { amount: 1200.5 });
        assert_eq!(p.table.items[1].value, CostValue::Amount { amount: 300.25 });
        assert_eq!(p.table.items[1].arm, CostArm::Shared);
        assert!(p.notes.iter().any(|n| n.contains("decimal comma")));

        let more = "category,arm,quantity,unit price,basis,hours\nmaterials,intervention,2,5.50,per participant,\nsupervision,intervention,,,,12\n";
        let p = parse_cost_csv(more.as_bytes(), None).unwrap();
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.table.items[0].value, CostValue::Quantity { quantity: 2.0, unit_price: 5.5 });
        assert_eq!(p.table.items[0].basis, CostBasis::PerParticipant);
        assert_eq!(p.table.items[1].value, CostValue::VolunteerHours { hours: 12.0 });

        let headerless = "stipends,intervention,100\ntraining,control,20\n";
        let p = parse_cost_csv(headerless.as_bytes(), None).unwrap();
        assert_eq!(p.table.items.len(), 2);
        assert!(p.notes.iter().any(|n| n.contains("no header")));
    }

    #[test]
    fn read_by_the_participant_files_reader_bars_and_title_lines_too() {
        // A `|` table under a title line and a blank line, as spreadsheets export it.
        let bars = "Program costs 2025\n\nCategory|Arm|Amount\nstipends|intervention|1200.50\ntraining|control|300\n";
        let p = parse_cost_csv(bars.as_bytes(), None).unwrap();
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.table.items.len(), 2);
        assert_eq!(p.table.items[0].value, CostValue::Amount { amount: 1200.5 });
        assert_eq!(p.table.items[1].arm, CostArm::Control);
        assert!(
            p.notes.iter().any(|n| n.contains("The first line of the cost file, above its header row, was read")),
            "{:?}",
            p.notes
        );
        assert!(p.notes.iter().any(|n| n.contains("vertical bars")), "{:?}", p.notes);
        // A quote left open is located by its line; the rows before it are still read.
        let open = "category,arm,amount\nstipends,intervention,100\n\"training,control,20\n";
        let p = parse_cost_csv(open.as_bytes(), None).unwrap();
        assert_eq!(p.table.items[0].value, CostValue::Amount { amount: 100.0 });
        let d = p.diagnostics.iter().find(|d| d.kind == DiagnosticKind::Unreadable).expect("an open-quote diagnostic");
        assert_eq!(d.line, Some(3));
    }

    #[test]
    fn bad_rows_are_located_and_left_out() {
        let csv = "category,arm,amount\n\
                   stipends,intervention,6000\n\
                   training,intervnetion,3100\n\
                   supervision,intervention,lots\n\
                   materials,intervention,1,200.50\n\
                   venue,control,\n\
                   Total,,9100\n\
                   travel,control,1,5\n\
                   ,control,10\n";
        let p = parse_cost_csv(csv.as_bytes(), None).unwrap();
        let located: Vec<(Option<usize>, Option<&str>)> =
            p.diagnostics.iter().map(|d| (d.row, d.column.as_deref())).collect();
        assert_eq!(
            located,
            vec![
                (Some(2), Some("arm")),
                (Some(3), Some("amount")),
                (Some(4), Some("amount")),
                (Some(5), Some("amount")),
                (Some(6), Some("category")),
                (Some(7), None),
                (Some(8), Some("category")),
            ]
        );
        assert!(p.diagnostics[0].message.contains("intervnetion") && p.diagnostics[0].message.contains("line 3"));
        assert!(p.diagnostics[1].message.contains("lots"));
        assert!(p.diagnostics[2].message.contains("1,200.50"), "{}", p.diagnostics[2].message);
        assert!(p.diagnostics[5].message.contains("more cells"));
        // Kept: stipends, the re-joined 1,200.50 and the uncategorised 10.
        let kept: Vec<f64> = p.table.items.iter().map(|i| i.money(None)).collect();
        assert_eq!(kept, vec![6000.0, 1200.5, 10.0]);
        assert_eq!(p.table.items[2].category, "uncategorised");
    }

    #[test]
    fn arbitrary_text_never_panics_and_never_gives_a_non_finite_amount() {
        use rand_pcg::rand_core::{Rng, SeedableRng};
        let alphabet: Vec<char> = "0123456789.,,..-+ ()$€£USDEkrzł\"';\n\t\u{a0}ab".chars().collect();
        let mut rng = rand_pcg::Pcg64::seed_from_u64(11);
        let mut file = String::from("category,arm,amount,quantity,unit price,basis,hours\n");
        for _ in 0..20_000 {
            let len = (rng.next_u32() % 12) as usize;
            let s: String = (0..len).map(|_| alphabet[(rng.next_u32() as usize) % alphabet.len()]).collect();
            for hint in [DecimalHint::Dot, DecimalHint::Comma, DecimalHint::Auto] {
                if let Ok(m) = parse_amount(&s, hint) {
                    assert!(m.value.is_finite(), "{s:?}");
                }
            }
            file.push_str(&s);
            if rng.next_u32() % 3 == 0 {
                file.push('\n');
            }
        }
        for delim in [",", ";", "\t"] {
            let text = file.replace(',', delim);
            if let Ok(p) = parse_cost_csv(text.as_bytes(), None) {
                assert!(p.table.items.iter().all(|i| i.money(Some(1.0)).is_finite()));
            }
        }
    }

    #[test]
    fn unreadable_files_are_plain_errors() {
        assert!(parse_cost_csv(b"", None).is_err());
        assert!(parse_cost_csv(b"   \n\n", None).is_err());
        let e = parse_cost_csv(b"name,colour\nx,red\n", None).unwrap_err();
        assert!(e.to_string().contains("category, arm and amount"), "{e}");
        // Windows-1252 euro sign and random bytes never panic.
        let p = parse_cost_csv(b"category;arm;amount\nvenue;control;\x80 12,50\n", None).unwrap();
        assert_eq!(p.table.items[0].value, CostValue::Amount { amount: 12.5 });
        assert_eq!(p.table.currency, "€");
        for bytes in [&b"\xff\xfe\x00"[..], b"\"unterminated,arm,amount\nx", b"a,b,c\n1,2,3,4,5,6\n", b",,,\n,,,\n"] {
            let _ = parse_cost_csv(bytes, None);
        }
    }
}
