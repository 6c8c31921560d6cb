//! The identifying-data guard: columns that look like names, e-mail addresses, phone numbers,
//! IP addresses, exact dates of birth or map coordinates. Each is judged by its column name
//! and by the share of its filled cells that match; the page warns before analysis, and the
//! cleaned-data export leaves them out unless the recipe keeps them (`keep_identifying`).

use super::types::{compact, header_words, parse_date, sample, Sample};
use crate::core::dataset::{parse_number, shorten, Column, Dataset};
use serde::{Deserialize, Serialize};

/// What kind of identifying data a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifyingKind {
    Name,
    Email,
    Phone,
    IpAddress,
    DateOfBirth,
    /// Latitude, longitude or GPS coordinates.
    Location,
    /// Postal addresses or postcodes.
    Address,
    /// The participant code wave files were linked by (`link_code` and the code columns).
    ParticipantCode,
    /// A reference that links the response to a person elsewhere: Qualtrics'
    /// `ExternalReference` (a contact list's ID), REDCap's `redcap_survey_identifier`.
    ExternalReference,
}

impl IdentifyingKind {
    /// The kind in words.
    pub fn name(self) -> &'static str {
        match self {
            IdentifyingKind::Name => "people’s names",
            IdentifyingKind::Email => "e-mail addresses",
            IdentifyingKind::Phone => "phone numbers",
            IdentifyingKind::IpAddress => "IP addresses",
            IdentifyingKind::DateOfBirth => "exact dates of birth",
            IdentifyingKind::Location => "map coordinates (latitude/longitude)",
            IdentifyingKind::Address => "postal addresses",
            IdentifyingKind::ParticipantCode => "participant codes",
            IdentifyingKind::ExternalReference => "references to a contact list",
        }
    }
}

/// A column that looks like it identifies people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentifyingColumn {
    pub column: String,
    pub kind: IdentifyingKind,
    /// Share (0..1) of the column's filled cells that look like this kind of data.
    pub share: f64,
    /// Why, in plain language.
    pub reason: String,
    /// Only possibly identifying (judged from the cells alone, such as single capitalised words
    /// that may be given names): shown as a warning for the user to check, and kept in the
    /// cleaned data unless the user confirms it ([`columns_to_leave_out_confirmed`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub possible: bool,
}

/// Share needed when the column name also says what the column is.
const WITH_HEADER: f64 = 0.5;
/// Share needed from the cells alone (e-mail and IP addresses, written phone numbers).
const CONTENT_ONLY: f64 = 0.8;

fn any_word(words: &[String], list: &[&str]) -> bool {
    words.iter().any(|w| list.contains(&w.as_str()))
}

/// `someone@example.org`: one `@`, no spaces, a dot in the part after it, a top-level domain
/// of letters.
pub fn is_email(cell: &str) -> bool {
    // (Checked on every sampled value: most have no '@' and stop at this one scan.)
    if !cell.as_bytes().contains(&b'@') {
        return false;
    }
    let t = cell.trim().trim_start_matches("mailto:");
    let Some((local, domain)) = t.split_once('@') else { return false };
    let tld = domain.rsplit('.').next().unwrap_or_default();
    !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && !t.chars().any(|c| c.is_whitespace() || c == ',' || c == ';' || c == '<' || c == '>')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.contains("..")
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_alphabetic())
}

/// An IPv4 (`192.168.0.12`) or IPv6 (`2001:db8::1`) address.
pub fn is_ip_address(cell: &str) -> bool {
    let t = cell.trim();
    if t.contains(':') {
        // A time of day ("11:39:15") is not an IPv6 address: ask for a hex letter or "::".
        let hexy = t.contains("::") || t.chars().any(|c| matches!(c.to_ascii_lowercase(), 'a'..='f'));
        return hexy && t.parse::<std::net::Ipv6Addr>().is_ok();
    }
    t.split('.').count() == 4 && t.parse::<std::net::Ipv4Addr>().is_ok()
}

/// A phone number: 7 to 15 digits written with the usual marks (`+`, spaces, dashes,
/// brackets, dots). `plain_digits` also accepts a bare run of digits (when the column name
/// says "phone"). Dates and ordinary numbers are not phone numbers.
pub fn is_phone(cell: &str, plain_digits: bool) -> bool {
    let t = cell.trim();
    if !t.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
        return false;
    }
    let n = t.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&n) || parse_date(t).is_some() || is_coordinate_pair(t) {
        return false;
    }
    let written = t.starts_with('+')
        || t.contains(['(', ' '])
        || t.matches('-').count() >= 1 && !t.starts_with('-')
        || t.matches('.').count() >= 2;
    let leading_zero = t.starts_with('0') && n >= 9;
    if written || leading_zero {
        return true;
    }
    plain_digits && parse_number(t).is_some() && !t.contains('.')
}

/// A person's name: one to four words, each starting with a capital letter, letters only
/// (with `'`, `-`, `.` and a comma after the family name, as in "Smith, J.").
pub fn is_name_like(cell: &str) -> bool {
    let words: Vec<&str> = cell.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return false;
    }
    let letters = cell.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && words.iter().all(|w| {
            let w = w.trim_end_matches(',');
            let mut chars = w.chars();
            chars.next().is_some_and(char::is_uppercase) && chars.all(|c| c.is_alphabetic() || "'’-.".contains(c))
        })
}

/// Digits after the decimal point of a number cell ("51.5074" → 4).
fn decimals(t: &str) -> usize {
    t.split_once('.').map_or(0, |(_, f)| f.chars().take_while(char::is_ascii_digit).count())
}

/// A coordinate within `limit` degrees with at least three decimals (about 100 m).
fn is_coordinate(cell: &str, limit: f64) -> bool {
    let t = cell.trim();
    parse_number(t).is_some_and(|v| v.abs() <= limit) && decimals(t) >= 3
}

/// A latitude and longitude in one cell ("51.5074, -0.1278", KoboToolbox's
/// "51.5074 -0.1278 35 5" with altitude and precision).
fn is_coordinate_pair(cell: &str) -> bool {
    // (KoboToolbox's `_geolocation` is written "[-1.2921, 36.8219]".)
    let t = cell.trim().trim_start_matches(['[', '(']).trim_end_matches([']', ')']);
    let parts: Vec<&str> = t.split([',', ';', ' ']).filter(|s| !s.is_empty()).collect();
    matches!(parts.as_slice(), [lat, lon, rest @ ..]
        if rest.len() <= 2 && is_coordinate(lat, 90.0) && is_coordinate(lon, 180.0) && rest.iter().all(|r| parse_number(r).is_some()))
}

/// A KoboToolbox / ODK geopoint: "latitude longitude altitude accuracy", four numbers
/// separated by spaces, the first two a latitude and a longitude with three or more decimals.
pub fn is_geopoint(cell: &str) -> bool {
    let parts: Vec<&str> = cell.split_whitespace().collect();
    matches!(parts.as_slice(), [lat, lon, alt, acc]
        if is_coordinate(lat, 90.0) && is_coordinate(lon, 180.0) && parse_number(alt).is_some() && parse_number(acc).is_some())
}

/// Columns the survey tools name for identifying data, compared as markers (no spaces,
/// punctuation or case): the kind, and what the tool puts there.
const TOOL_COLUMNS: &[(&str, IdentifyingKind, &str)] = &[
    ("RecipientEmail", IdentifyingKind::Email, "Qualtrics’ column for the e-mail address the survey was sent to"),
    ("RecipientFirstName", IdentifyingKind::Name, "Qualtrics’ column for the first name of the person the survey was sent to"),
    ("RecipientLastName", IdentifyingKind::Name, "Qualtrics’ column for the last name of the person the survey was sent to"),
    ("EmailAddress", IdentifyingKind::Email, "the e-mail address column of Qualtrics’ and SurveyMonkey’s exports"),
    ("IPAddress", IdentifyingKind::IpAddress, "the survey tool’s column for the internet (IP) address the answers came from"),
    ("LocationLatitude", IdentifyingKind::Location, "Qualtrics’ column for the latitude the answers came from"),
    ("LocationLongitude", IdentifyingKind::Location, "Qualtrics’ column for the longitude the answers came from"),
    ("_geolocation", IdentifyingKind::Location, "KoboToolbox’s column for the first location question’s latitude and longitude"),
    ("ExternalReference", IdentifyingKind::ExternalReference, "Qualtrics’ column for the ID of the person in a contact list or another system"),
    ("ExternalDataReference", IdentifyingKind::ExternalReference, "Qualtrics’ column for the ID of the person in a contact list or another system"),
    ("redcap_survey_identifier", IdentifyingKind::ExternalReference, "REDCap’s column for the identifier given to each person in a survey’s participant list (often a name or e-mail address)"),
];

/// A survey tool's own identifying column ([`TOOL_COLUMNS`]), when it holds anything.
fn tool_column(name: &str) -> Option<(IdentifyingKind, &'static str)> {
    let key = compact(name);
    TOOL_COLUMNS.iter().find(|(m, _, _)| compact(m) == key).map(|&(_, k, why)| (k, why))
}

/// "all" or "87%".
fn percent(share: f64) -> String {
    if share >= 0.9995 {
        "all".into()
    } else {
        format!("{:.0}%", (share * 100.0).clamp(1.0, 99.0))
    }
}

/// Looks at one column; `None` when it does not look identifying.
pub fn identify_column(ds: &Dataset, col: &Column) -> Option<IdentifyingColumn> {
    identify_sampled(ds, col, &sample(ds, col))
}

/// [`identify_column`] from a sample already read.
pub(crate) fn identify_sampled(
    ds: &Dataset,
    col: &Column,
    s: &crate::core::ingest::types::Sample<'_>,
) -> Option<IdentifyingColumn> {
    if s.n_filled == 0 {
        return None;
    }
    if let Some(found) = judge(ds, col, s, &col.name, "its name") {
        return Some(found);
    }
    // The question text of a multi-row header (Qualtrics' second row, SurveyMonkey's first):
    // "Q2" asked "What is your first name?".
    if let Some(label) = ds.labels.iter().find(|(c, _)| *c == col.name).map(|(_, l)| l.as_str()) {
        if let Some(found) = judge(ds, col, s, label, &format!("its question (“{}”)", shorten(label))) {
            return Some(found);
        }
    }
    possible_given_names(ds, col, s)
}

/// Answer words that are capitalised single words but not names (a one-word feedback
/// column, labels, frequencies; month names are `dataset::MONTHS`).
const NOT_GIVEN_NAMES: &[&str] = &[
    "good",
    "great",
    "fine",
    "ok",
    "okay",
    "helpful",
    "useful",
    "excellent",
    "bad",
    "poor",
    "fair",
    "boring",
    "interesting",
    "fun",
    "nothing",
    "none",
    "everything",
    "yes",
    "no",
    "maybe",
    "agree",
    "disagree",
    "neutral",
    "male",
    "female",
    "other",
    "never",
    "rarely",
    "sometimes",
    "often",
    "always",
    "daily",
    "weekly",
    "monthly",
    "intervention",
    "control",
    "treatment",
    "waitlist",
    "baseline",
    "pre",
    "post",
    "followup",
    "low",
    "medium",
    "high",
    "north",
    "south",
    "east",
    "west",
    "central",
    "urban",
    "rural",
    "single",
    "married",
    "divorced",
    "widowed",
    "employed",
    "unemployed",
    "student",
    "retired",
    "english",
    "spanish",
    "french",
    "online",
    "group",
    "individual",
    "morning",
    "afternoon",
    "evening",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "bien",
    "bon",
    "bueno",
    "malo",
    "mal",
    "oui",
    "non",
    "si",
    "sí",
];

/// A column whose cells are mostly one capitalised word each, different from row to row (given
/// names in a column called "Q7" with no question text to say so): flagged as *possibly* names,
/// for the user to check. Never left out without the user's word.
fn possible_given_names(ds: &Dataset, col: &Column, s: &Sample<'_>) -> Option<IdentifyingColumn> {
    if ds.value_map(&col.name).is_some() || s.n_filled < 3 || s.n_distinct() < 3 {
        return None;
    }
    let one_word = |v: &str| {
        let n = v.chars().count();
        !v.contains(char::is_whitespace) && (2..=20).contains(&n) && is_name_like(v) && !v.ends_with('.')
    };
    let share = s.share(one_word);
    // Mostly different from row to row (labels and answer words repeat).
    let varied = s.n_distinct() * 2 >= s.n_filled;
    let common = s
        .values
        .iter()
        .filter(|(v, _)| {
            let l = v.to_lowercase();
            NOT_GIVEN_NAMES.contains(&l.as_str()) || crate::core::dataset::MONTHS.contains(&l.as_str())
        })
        .count();
    if share < CONTENT_ONLY || !varied || common * 5 > s.n_distinct() {
        return None;
    }
    let name = &col.name;
    Some(IdentifyingColumn {
        column: name.clone(),
        kind: IdentifyingKind::Name,
        share,
        reason: format!(
            "“{name}” might hold given names: {} of its filled cells are single capitalised words that differ from row to row. It is kept in the cleaned data, since it may be an answer column: check it before sharing the file.",
            percent(share)
        ),
        possible: true,
    })
}

/// The rules of [`identify_sampled`], reading the header words of `header` (the column's name
/// or its question text), which `its` names in the reasons ("its name", "its question (…)").
fn judge(ds: &Dataset, col: &Column, s: &Sample<'_>, header: &str, its: &str) -> Option<IdentifyingColumn> {
    let words = header_words(header);
    let flat = compact(header);
    let name = &col.name;
    let found = |kind: IdentifyingKind, share: f64, reason: String| {
        Some(IdentifyingColumn { column: name.clone(), kind, share, reason, possible: false })
    };

    // The survey tools' own identifying columns, by their names alone.
    if let Some((kind, why)) = tool_column(name) {
        return found(
            kind,
            1.0,
            format!("“{name}” is {why}: it can identify people whatever its cells look like ({}).", kind.name()),
        );
    }

    // E-mail addresses.
    let email_header =
        any_word(&words, &["email", "mail", "correo", "courriel", "contact", "contacto"]) || flat.contains("email");
    let share = s.share(is_email);
    if share >= CONTENT_ONLY || (email_header && share >= WITH_HEADER) {
        return found(
            IdentifyingKind::Email,
            share,
            format!(
                "“{name}” holds e-mail addresses: {} of its filled cells are written like name@example.org.",
                percent(share)
            ),
        );
    }

    // IP addresses.
    let ip_header = any_word(&words, &["ip", "ipv4", "ipv6", "ipaddress", "ipaddr"]) || flat.contains("ipaddress");
    let share = s.share(is_ip_address);
    if share >= CONTENT_ONLY || (ip_header && share >= WITH_HEADER) {
        return found(
            IdentifyingKind::IpAddress,
            share,
            format!(
                "“{name}” holds internet (IP) addresses: {} of its filled cells are written like 192.168.0.1. They can point to a person’s home or workplace.",
                percent(share)
            ),
        );
    }

    // Exact dates of birth.
    let birth_header = any_word(&words, &["dob", "birth", "birthday", "birthdate", "born", "nacimiento", "naissance"])
        || flat.contains("dateofbirth")
        || flat.contains("birthdate")
        || flat.contains("birthday");
    if birth_header {
        let share = s.share(|v| parse_date(v).is_some());
        if share >= WITH_HEADER {
            return found(
                IdentifyingKind::DateOfBirth,
                share,
                format!(
                    "“{name}” looks like exact dates of birth: {its} mentions birth and {} of its filled cells are full dates. An age or age band is enough for the analyses.",
                    percent(share)
                ),
            );
        }
    }

    // Latitude / longitude.
    if let Some(found_location) = location(ds, s, &words, &flat, name, its) {
        return Some(found_location);
    }

    // Phone numbers.
    let phone_header = any_word(
        &words,
        &[
            "phone",
            "telephone",
            "tel",
            "mobile",
            "cell",
            "cellphone",
            "whatsapp",
            "telefono",
            "teléfono",
            "celular",
            "sms",
            "contact",
            "contacto",
            "téléphone",
            "portable",
        ],
    ) || flat.contains("phone");
    let share = s.share(|v| is_phone(v, phone_header));
    if (phone_header && share >= WITH_HEADER) || share >= CONTENT_ONLY {
        return found(
            IdentifyingKind::Phone,
            share,
            format!("“{name}” looks like phone numbers: {} of its filled cells are 7 to 15 digits written like a phone number.", percent(share)),
        );
    }

    // Postal addresses and postcodes: the name (or question) must say so, and the cells differ
    // and look like addresses (a house number or several words), not yes/no or scale answers.
    let address_header = any_word(
        &words,
        &[
            "address",
            "addresses",
            "street",
            "postcode",
            "zip",
            "zipcode",
            "postal",
            "adresse",
            "dirección",
            "direccion",
            "domicilio",
            "calle",
            "rue",
        ],
    ) || flat.contains("postcode")
        || flat.contains("zipcode")
        || flat.contains("homeaddress");
    let not_postal =
        any_word(&words, &["email", "mail", "ip", "ipaddress", "web", "url", "website", "correo", "courriel"])
            || flat.contains("email")
            || flat.contains("ipaddress");
    if address_header && !not_postal && ds.value_map(name).is_none() {
        let share = s.share(|v| {
            v.chars().any(char::is_alphanumeric)
                && (v.chars().any(|c| c.is_ascii_digit()) || v.split_whitespace().count() >= 2)
        });
        let varied = s.n_distinct() >= 2 && s.n_distinct() * 10 >= s.n_filled * 3;
        if share >= WITH_HEADER && varied {
            return found(
                IdentifyingKind::Address,
                share,
                format!(
                    "“{name}” looks like postal addresses or postcodes: {its} says so and {} of its filled cells differ from row to row and hold a house number or several words.",
                    percent(share)
                ),
            );
        }
    }

    // People's names: the column name (or its question) must say so.
    let name_header = any_word(
        &words,
        &[
            "name",
            "names",
            "firstname",
            "lastname",
            "surname",
            "surnames",
            "forename",
            "fullname",
            "givenname",
            "familyname",
            "nombre",
            "apellido",
            "apellidos",
            "nom",
            "prenom",
            "prénom",
            "vorname",
            "nachname",
        ],
    ) || matches!(words.as_slice(), [w] if matches!(w.as_str(), "first" | "last" | "given" | "family" | "middle"));
    const NOT_PEOPLE: &[&str] = &[
        "file",
        "program",
        "programme",
        "site",
        "school",
        "group",
        "scale",
        "organisation",
        "organization",
        "org",
        "company",
        "team",
        "event",
        "instrument",
        "city",
        "town",
        "country",
        "clinic",
        "project",
        "service",
        "course",
        "session",
        "venue",
        "place",
        "region",
        "district",
        "state",
        "province",
        "county",
        "village",
        "activity",
        "module",
        "survey",
        "form",
        "question",
        "variable",
        "field",
        "redcap",
        "arm",
        "wave",
        "product",
        "campaign",
        "sheet",
        "host",
        "domain",
        "device",
    ];
    let looks_like_people = name_header && !any_word(&words, NOT_PEOPLE) && ds.value_map(name).is_none();
    if looks_like_people {
        let share = s.share(is_name_like);
        let varied = s.n_distinct() >= 2 && s.n_distinct() * 10 >= s.n_filled * 3;
        if share >= WITH_HEADER && varied {
            return found(
                IdentifyingKind::Name,
                share,
                format!(
                    "“{name}” looks like people’s names: {its} says so and {} of its filled cells are capitalised words that differ from row to row.",
                    percent(share)
                ),
            );
        }
    }
    None
}

/// True when the dataset has KoboToolbox's split columns of the geopoint question `name`:
/// `_<name>_latitude` or `_<name>_longitude` (for a question in a group, `group/name`, the
/// split columns may carry the group too).
fn has_split_siblings(ds: &Dataset, name: &str) -> bool {
    let last = name.rsplit('/').next().unwrap_or(name).to_lowercase();
    if last.is_empty() {
        return false;
    }
    ds.columns.iter().any(|c| {
        let l = c.name.to_lowercase();
        let Some(inner) = l.strip_prefix('_') else { return false };
        let Some(q) = inner.strip_suffix("_latitude").or_else(|| inner.strip_suffix("_longitude")) else {
            return false;
        };
        q == last || q == name.to_lowercase() || q.ends_with(&format!("/{last}"))
    })
}

/// Latitude, longitude or GPS columns: the name says so and the cells are precise
/// coordinates; or the cells are geopoints ("lat lon altitude accuracy"); or the column has
/// KoboToolbox's split `_<name>_latitude` / `_<name>_longitude` siblings and holds coordinates.
fn location(
    ds: &Dataset,
    s: &Sample<'_>,
    words: &[String],
    flat: &str,
    name: &str,
    its: &str,
) -> Option<IdentifyingColumn> {
    let lat = any_word(words, &["lat", "latitude", "latitud"]) || flat.contains("latitude");
    let lon = any_word(words, &["lon", "lng", "long", "longitude", "longitud"]) || flat.contains("longitude");
    let pair = any_word(
        words,
        &[
            "gps",
            "geo",
            "geolocation",
            "geopoint",
            "coordinates",
            "coords",
            "coordinate",
            "latlon",
            "latlong",
            "latlng",
            "location",
        ],
    );
    let mut best: f64 = 0.0;
    if lat {
        best = best.max(s.share(|v| is_coordinate(v, 90.0)));
    }
    if lon {
        best = best.max(s.share(|v| is_coordinate(v, 180.0)));
    }
    if pair || lat || lon {
        best = best.max(s.share(is_coordinate_pair));
    }
    let place = |share: f64, reason: String| IdentifyingColumn {
        column: name.to_string(),
        kind: IdentifyingKind::Location,
        share,
        reason,
        possible: false,
    };
    if best >= WITH_HEADER {
        return Some(place(best, format!(
            "“{name}” holds map coordinates: {its} says latitude, longitude or GPS and {} of its filled cells are coordinates with three or more decimals, precise enough to find where someone lives.",
            percent(best)
        )));
    }
    // Geopoints, whatever the column is called (a KoboToolbox location question).
    let geo = s.share(is_geopoint);
    if geo >= CONTENT_ONLY {
        return Some(place(geo, format!(
            "“{name}” holds map locations: {} of its filled cells are GPS points (latitude, longitude, altitude and accuracy), precise enough to find where someone lives.",
            percent(geo)
        )));
    }
    // The combined column of a geopoint whose parts are split out beside it.
    let pairs = s.share(is_coordinate_pair);
    if pairs >= WITH_HEADER && has_split_siblings(ds, name) {
        return Some(place(pairs, format!(
            "“{name}” holds map locations: its latitude and longitude are also split into the columns “_{}_latitude” and “_{}_longitude”, and {} of its filled cells are coordinates.",
            name.rsplit('/').next().unwrap_or(name),
            name.rsplit('/').next().unwrap_or(name),
            percent(pairs)
        )));
    }
    None
}

/// Every column that looks like it identifies people, in column order.
pub fn identifying_columns(ds: &Dataset) -> Vec<IdentifyingColumn> {
    ds.columns.iter().filter_map(|c| identify_column(ds, c)).collect()
}

/// The identifying columns to leave out of exports: all of them except those named in `keep`
/// (the recipe's `keep_identifying`).
/// Columns flagged only as *possibly* identifying are not left out (a legitimate answer column
/// is never dropped without the user's word; see [`columns_to_leave_out_confirmed`]).
pub fn columns_to_leave_out(ds: &Dataset, keep: &[String]) -> Vec<String> {
    columns_to_leave_out_confirmed(ds, keep, &[])
}

/// [`columns_to_leave_out`], with the possibly identifying columns the user confirmed
/// (`confirmed`) left out too.
pub fn columns_to_leave_out_confirmed(ds: &Dataset, keep: &[String], confirmed: &[String]) -> Vec<String> {
    identifying_columns(ds)
        .into_iter()
        .filter(|c| !c.possible || confirmed.contains(&c.column))
        .map(|c| c.column)
        .filter(|c| !keep.contains(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::read_csv;

    #[test]
    fn cell_rules() {
        assert!(is_email("ana.lopez@example.org") && is_email(" x@y.co "));
        assert!(!is_email("@handle") && !is_email("a@b") && !is_email("a b@c.org") && !is_email("a@b.12"));
        assert!(is_ip_address("192.168.0.12") && is_ip_address("2001:db8::1") && is_ip_address("fe80:0:0:0:0:0:0:1"));
        assert!(
            !is_ip_address("1.2.3")
                && !is_ip_address("256.1.1.1")
                && !is_ip_address("11:39:15")
                && !is_ip_address("3.5")
        );
        assert!(
            is_phone("+44 20 7946 0958", false) && is_phone("(555) 123-4567", false) && is_phone("07700900123", false)
        );
        assert!(is_phone("5551234567", true) && !is_phone("5551234567", false));
        assert!(
            !is_phone("2024-03-04", false)
                && !is_phone("-1234567", false)
                && !is_phone("12", true)
                && !is_phone("3.25", true)
                && !is_phone("-1.2921 36.8219", false)
        );
        assert!(
            is_name_like("Ana López")
                && is_name_like("O'Brien")
                && is_name_like("Smith, J.")
                && is_name_like("Jean-Luc")
        );
        assert!(!is_name_like("ana") && !is_name_like("P01") && !is_name_like("I felt much better after the sessions"));
        assert!(is_coordinate_pair("51.5074, -0.1278") && is_coordinate_pair("-1.2921 36.8219 1795.0 5.0"));
        assert!(!is_coordinate_pair("1, 2") && !is_coordinate_pair("95.1234 10.1234"));
    }

    #[test]
    fn finds_each_kind_by_name_and_content() {
        let csv = "participant_id,First Name,Surname,email,phone,IPAddress,dob,birth_year,LocationLatitude,LocationLongitude,gps,group,score,site name,comment\n\
                   P01,Ana,López,ana@example.org,+44 20 7946 0958,192.168.0.1,1990-04-02,1990,51.5074,-0.1278,51.5074 -0.1278 20 5,intervention,3,North Clinic,Good\n\
                   P02,Ben,O'Brien,ben@example.org,+44 20 7946 0959,10.0.0.7,02/05/1985,1985,51.5080,-0.1290,51.5080 -0.1290 20 5,control,4,North Clinic,ok\n\
                   P03,Chloé,Smith,chloe@example.net,020 7946 0960,172.16.4.2,1979-12-31,1979,51.4994,-0.1245,51.4994 -0.1245 20 5,intervention,2,South Clinic,\n\
                   P04,Dev,Patel,NA,+1 (555) 123-4567,8.8.8.8,2001-07-14,2001,40.7128,-74.0060,40.7128 -74.0060 10 5,control,5,South Clinic,fine\n";
        let ds = read_csv(csv.as_bytes(), "pii.csv").unwrap();
        let found = identifying_columns(&ds);
        let kind = |c: &str| found.iter().find(|x| x.column == c).map(|x| x.kind);
        assert_eq!(kind("First Name"), Some(IdentifyingKind::Name));
        assert_eq!(kind("Surname"), Some(IdentifyingKind::Name));
        assert_eq!(kind("email"), Some(IdentifyingKind::Email));
        assert_eq!(kind("phone"), Some(IdentifyingKind::Phone));
        assert_eq!(kind("IPAddress"), Some(IdentifyingKind::IpAddress));
        assert_eq!(kind("dob"), Some(IdentifyingKind::DateOfBirth));
        assert_eq!(kind("LocationLatitude"), Some(IdentifyingKind::Location));
        assert_eq!(kind("LocationLongitude"), Some(IdentifyingKind::Location));
        assert_eq!(kind("gps"), Some(IdentifyingKind::Location));
        for not in ["participant_id", "birth_year", "group", "score", "site name", "comment"] {
            assert_eq!(kind(not), None, "{not}: {found:?}");
        }
        let email = found.iter().find(|x| x.column == "email").unwrap();
        assert!((email.share - 1.0).abs() < 1e-12, "the missing code is not counted");
        assert!(email.reason.contains("“email”") && email.reason.contains("e-mail"), "{}", email.reason);
        let kept = columns_to_leave_out(&ds, &["email".to_string()]);
        assert!(!kept.contains(&"email".to_string()) && kept.contains(&"phone".to_string()));
    }

    #[test]
    fn content_alone_finds_addresses_but_not_names() {
        let csv = "contact,x,who\nana@example.org,10.1.1.1,Ana\nben@example.org,10.1.1.2,Ben\n";
        let ds = read_csv(csv.as_bytes(), "c.csv").unwrap();
        let found = identifying_columns(&ds);
        assert_eq!(
            found.iter().map(|f| (f.column.as_str(), f.kind)).collect::<Vec<_>>(),
            vec![("contact", IdentifyingKind::Email), ("x", IdentifyingKind::IpAddress)]
        );
    }

    #[test]
    fn kobo_geopoints_by_content_and_by_their_split_siblings() {
        // A geopoint question named by the form's author ("point"), its split columns beside it;
        // "where" holds geopoints under a name that says nothing; "visits" is a select_multiple
        // answer (space-separated codes), not a place.
        let csv = "point;_point_latitude;_point_longitude;_point_altitude;_point_precision;where;visits;score;_geolocation\n\
                   -1.2921 36.8219 1795.0 5.0;-1.2921;36.8219;1795.0;5.0;-1.2833 36.8167 1700 4.5;1 3 4 5;3;[-1.2921, 36.8219]\n\
                   -1.3000 36.8000 1790.0 8.0;-1.3000;36.8000;1790.0;8.0;-1.2950 36.8250 1710 3.9;2 4;4;[-1.3000, 36.8000]\n\
                   -1.3100 36.7900 1801.0 6.5;-1.3100;36.7900;1801.0;6.5;-1.3011 36.8101 1690 5.0;1 2 3 4;2;[-1.3100, 36.7900]\n";
        let ds = read_csv(csv.as_bytes(), "kobo.csv").unwrap();
        let found = identifying_columns(&ds);
        let kind = |c: &str| found.iter().find(|x| x.column == c).map(|x| x.kind);
        for c in ["point", "_point_latitude", "_point_longitude", "where", "_geolocation"] {
            assert_eq!(kind(c), Some(IdentifyingKind::Location), "{c}: {found:?}");
        }
        for c in ["_point_altitude", "_point_precision", "visits", "score"] {
            assert_eq!(kind(c), None, "{c}: {found:?}");
        }
        let left_out = columns_to_leave_out(&ds, &[]);
        assert!(left_out.contains(&"point".to_string()) && left_out.contains(&"where".to_string()));
        assert!(
            is_geopoint("-1.2921 36.8219 1795.0 5.0") && !is_geopoint("1 3 4 5") && !is_geopoint("-1.2921 36.8219")
        );

        // Two-number points (no altitude) are found only beside their split columns.
        let csv = "spot,_spot_latitude,_spot_longitude,other\n-1.2921 36.8219,-1.2921,36.8219,-1.2921 36.8219\n\
                   -1.3000 36.8000,-1.3000,36.8000,-1.3000 36.8000\n";
        let ds = read_csv(csv.as_bytes(), "kobo2.csv").unwrap();
        let found = identifying_columns(&ds);
        let spot = found.iter().find(|x| x.column == "spot").expect("spot is flagged");
        assert!(spot.reason.contains("“_spot_latitude”"), "{}", spot.reason);
        assert!(!found.iter().any(|x| x.column == "other"), "{found:?}");
    }

    #[test]
    fn survey_tools_identifying_columns_by_name() {
        let csv =
            "RecipientEmail,RecipientFirstName,RecipientLastName,ExternalReference,ExternalDataReference,IPAddress,\
                   LocationLatitude,LocationLongitude,redcap_survey_identifier,score\n\
                   a@example.org,Ana,Silva,EMP-0042,X1,anonymised,40.7,-74.0,ana.silva,3\n\
                   b@example.org,Ben,Okafor,EMP-0043,X2,anonymised,40.8,-73.9,ben.okafor,4\n";
        let ds = read_csv(csv.as_bytes(), "q.csv").unwrap();
        let found = identifying_columns(&ds);
        let kind = |c: &str| found.iter().find(|x| x.column == c).map(|x| x.kind);
        assert_eq!(kind("RecipientEmail"), Some(IdentifyingKind::Email));
        assert_eq!(kind("RecipientFirstName"), Some(IdentifyingKind::Name));
        assert_eq!(kind("RecipientLastName"), Some(IdentifyingKind::Name));
        assert_eq!(kind("ExternalReference"), Some(IdentifyingKind::ExternalReference));
        assert_eq!(kind("ExternalDataReference"), Some(IdentifyingKind::ExternalReference));
        assert_eq!(kind("IPAddress"), Some(IdentifyingKind::IpAddress), "by its name, even when the cells are not IPs");
        assert_eq!(kind("LocationLatitude"), Some(IdentifyingKind::Location), "by its name, even with one decimal");
        assert_eq!(kind("LocationLongitude"), Some(IdentifyingKind::Location));
        assert_eq!(kind("redcap_survey_identifier"), Some(IdentifyingKind::ExternalReference));
        assert_eq!(kind("score"), None);
        let r = found.iter().find(|x| x.column == "ExternalReference").unwrap();
        assert!(r.reason.starts_with("“ExternalReference” is Qualtrics’ column"), "{}", r.reason);
        assert_eq!(columns_to_leave_out(&ds, &["score".into()]).len(), 9);
        // Blank, they identify no one.
        let ds = read_csv(b"RecipientEmail,ExternalReference,score\n,,3\n,,4\n", "b.csv").unwrap();
        assert!(identifying_columns(&ds).is_empty());
    }

    #[test]
    fn question_texts_of_multi_row_headers_are_read() {
        // A Qualtrics export: names Q1…, question text on row 2.
        let csv = "StartDate,EndDate,Status,Q1,Q2,Q3,Q4,Q5,Q6,Q7\n\
                   Start Date,End Date,Response Type,Participant code,What is your first name?,Date de naissance,\
                   ¿Cuál es su dirección?,Nombre de séances suivies,How long did the sessions feel?,Votre prénom\n\
                   2024-03-04,2024-03-04,IP Address,P01,Ana,02/04/1990,Calle Mayor 12,4,Too short,Chloé\n\
                   2024-03-04,2024-03-04,IP Address,P02,Benoît,15/11/1985,Rue de la Paix 3,6,About right,Marc\n\
                   2024-03-05,2024-03-05,IP Address,P03,Dev,30/07/2001,12 High Street,5,About right,Léa\n\
                   2024-03-05,2024-03-05,IP Address,P04,Grace,01/01/1979,Av. Libertad 40,6,Too long,Hugo\n";
        let ds = read_csv(csv.as_bytes(), "q.csv").unwrap();
        assert_eq!(ds.header_rows, 2);
        let found = identifying_columns(&ds);
        let kind = |c: &str| found.iter().find(|x| x.column == c).map(|x| x.kind);
        assert_eq!(kind("Q2"), Some(IdentifyingKind::Name), "{found:?}");
        assert_eq!(kind("Q3"), Some(IdentifyingKind::DateOfBirth), "{found:?}");
        assert_eq!(kind("Q4"), Some(IdentifyingKind::Address), "{found:?}");
        assert_eq!(kind("Q7"), Some(IdentifyingKind::Name), "{found:?}");
        for c in ["Q1", "Q5", "Q6"] {
            assert_eq!(kind(c), None, "{c}: {found:?}");
        }
        let q2 = found.iter().find(|x| x.column == "Q2").unwrap();
        assert!(q2.reason.contains("its question (“What is your first name?”) says so"), "{}", q2.reason);
        assert!(columns_to_leave_out(&ds, &[]).contains(&"Q2".to_string()));
        // SurveyMonkey: the question on row 1 becomes part of the name; LimeSurvey writes
        // "code. question" in one header.
        let csv = "Respondent ID,Quel est votre courriel ?,G01Q02. Apellido,Did you change address?\n\
                   ,Open-Ended Response,,Response\n\
                   1,ana@example.org,García,Yes\n2,ben@example.org,López,No\n3,,Pérez,No\n";
        let ds = read_csv(csv.as_bytes(), "sm.csv").unwrap();
        let found = identifying_columns(&ds);
        let kind = |c: &str| found.iter().find(|x| x.column == c).map(|x| x.kind);
        assert_eq!(kind("Quel est votre courriel ? | Open-Ended Response"), Some(IdentifyingKind::Email));
        assert_eq!(kind("G01Q02. Apellido"), Some(IdentifyingKind::Name), "{found:?}");
        assert_eq!(kind("Did you change address? | Response"), None, "yes/no answers are not addresses");
    }

    #[test]
    fn single_capitalised_words_that_differ_are_possible_names_kept_until_confirmed() {
        // "Q7" has no question text: its cells alone suggest given names.
        let csv = "id,Q7,feedback,arm,city\nP01,Ana,Good,Intervention,Leeds\nP02,Benoît,Helpful,Control,Leeds\n\
                   P03,Chloé,Good,Intervention,York\nP04,Dev,Boring,Control,Leeds\nP05,Fatima,Great,Intervention,York\n\
                   P06,Grace,Good,Control,Leeds\n";
        let ds = read_csv(csv.as_bytes(), "p.csv").unwrap();
        let found = identifying_columns(&ds);
        assert_eq!(found.len(), 1, "{found:?}");
        let q7 = &found[0];
        assert_eq!((q7.column.as_str(), q7.kind, q7.possible), ("Q7", IdentifyingKind::Name, true));
        assert!(q7.reason.contains("might hold given names"), "{}", q7.reason);
        // Kept in the cleaned data until the user confirms.
        assert!(columns_to_leave_out(&ds, &[]).is_empty());
        assert_eq!(columns_to_leave_out_confirmed(&ds, &[], &["Q7".into()]), vec!["Q7"]);
        // A name header makes it certain, and left out.
        let ds = read_csv(csv.replace("Q7", "first_name").as_bytes(), "p.csv").unwrap();
        let found = identifying_columns(&ds);
        assert!(!found[0].possible);
        assert_eq!(columns_to_leave_out(&ds, &[]), vec!["first_name"]);
        // One-word answers that repeat, or are common answer words, are not names.
        let csv = "id,mood\nP1,Good\nP2,Great\nP3,Fine\nP4,Good\nP5,Bad\nP6,Helpful\n";
        assert!(identifying_columns(&read_csv(csv.as_bytes(), "m.csv").unwrap()).is_empty());
    }

    #[test]
    fn yes_no_and_repeated_labels_under_a_name_header_are_not_names() {
        let csv = "first,last\nYes,Intervention\nNo,Control\nYes,Intervention\nYes,Control\nNo,Control\nYes,Intervention\nNo,Control\n";
        let ds = read_csv(csv.as_bytes(), "f.csv").unwrap();
        assert!(identifying_columns(&ds).is_empty(), "{:?}", identifying_columns(&ds));
    }
}
