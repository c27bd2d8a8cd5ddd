//! Vietnamese text at the boundary: NFC normalisation, accent-free search keys,
//! collation sort keys, and the way numbers, percentages, money and dates are written.
//!
//! Number formatting is done here rather than through a locale crate: the rules officials
//! follow (dots for thousands, a comma for decimals, zero-padded small counts, money in
//! "tỷ/triệu" units) are a few lines each and must match the seed report exactly.

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use std::sync::LazyLock;
use time::Date;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalises text to NFC and trims surrounding white space; inner runs of white space
/// become one space. Every string entering htx passes through here.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Longest name (of an organisation, a person, a programme, a title), in characters.
pub const MAX_NAME_CHARS: usize = 500;
/// Longest one-line text (an address, a reference, a channel, a position), in characters.
pub const MAX_LINE_CHARS: usize = 1_000;
/// Longest free text (notes, findings, recommendations, results), in characters.
pub const MAX_NOTE_CHARS: usize = 5_000;

/// The first of some (field, text, limit) that is longer than its limit, with the reason
/// in words; every entrance (forms, API, command line, import) checks texts through here.
pub fn first_too_long<'a>(fields: &[(&'a str, &str, usize)]) -> Option<(&'a str, String)> {
    fields.iter().find_map(|(field, value, max)| {
        let chars = value.chars().count();
        (chars > *max).then(|| {
            (
                *field,
                format!(
                    "dài {} ký tự, quá giới hạn {} ký tự",
                    number(chars as i64),
                    number(*max as i64)
                ),
            )
        })
    })
}

/// Normalises multi-paragraph text to NFC, keeping line breaks but trimming each line.
pub fn clean_paragraphs(s: &str) -> String {
    s.lines()
        .map(clean)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// The accent-insensitive search key: lower case, marks removed, đ → d.
/// "Hợp tác xã Đông Hưng" → "hop tac xa dong hung".
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join(" ");
    }
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[allow(
    clippy::expect_used,
    reason = "the collation data is compiled in; a unit test sorts Vietnamese with it"
)]
static COLLATOR: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    let locale = icu_locale_core::locale!("vi");
    let mut options = CollatorOptions::default();
    options.strength = Some(Strength::Tertiary);
    Collator::try_new(CollatorPreferences::from(&locale), options)
        .expect("compiled collation data includes Vietnamese")
});

/// Compares two strings in Vietnamese dictionary order (Đ after D, tones ordered).
pub fn compare_vi(a: &str, b: &str) -> std::cmp::Ordering {
    COLLATOR.compare(a, b)
}

/// A byte-comparable Vietnamese sort key written as lower-case hex, so that the database
/// can page through names in Vietnamese order with a plain binary `ORDER BY`.
/// Keys depend on the collation data version; `htx reindex` recomputes them.
pub fn sort_key(s: &str) -> String {
    let mut key: Vec<u8> = Vec::with_capacity(s.len() * 3);
    let Ok(()) = COLLATOR.write_sort_key_to(s, &mut key);
    let mut hex = String::with_capacity(key.len() * 2);
    for b in key {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// Groups digits with dots: 24164000000 → "24.164.000.000"; negative numbers keep their sign.
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// A count as written in prose: one-digit counts get a leading zero ("01 HTX", "09 HTX").
pub fn count(n: i64) -> String {
    if (0..10).contains(&n) {
        format!("0{n}")
    } else {
        number(n)
    }
}

/// A ratio as a percentage with one decimal and a decimal comma: 538/678 → "79,4%".
/// Rounds half away from zero. Returns None when the whole is zero.
pub fn percent(part: i64, whole: i64) -> Option<String> {
    let tenths = percent_tenths(part, whole)?;
    Some(format_tenths(tenths) + "%")
}

/// The percentage in tenths of a per cent, rounded half away from zero (538/678 → 794).
pub fn percent_tenths(part: i64, whole: i64) -> Option<i64> {
    if whole == 0 {
        return None;
    }
    let scaled = (part as i128) * 2000 / (whole as i128);
    let rounded = if scaled >= 0 {
        (scaled + 1) / 2
    } else {
        (scaled - 1) / 2
    };
    Some(rounded as i64)
}

/// Writes tenths with a decimal comma: 794 → "79,4", 1000 → "100", 5 → "0,5".
pub fn format_tenths(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    if t.is_multiple_of(10) {
        format!("{sign}{}", number((t / 10) as i64))
    } else {
        format!("{sign}{},{}", number((t / 10) as i64), t % 10)
    }
}

/// Money in đồng with grouped digits: "24.164.000.000 đồng".
pub fn money(dong: i64) -> String {
    format!("{} đồng", number(dong))
}

/// Money as officials write it in prose: 2_050_000_000 → "2 tỷ 50 triệu đồng",
/// 950_000_000 → "950 triệu đồng", 1_500_000 → "1 triệu 500 nghìn đồng".
/// Units below one nghìn are written as a plain number.
pub fn money_words(dong: i64) -> String {
    if dong == 0 {
        return "0 đồng".to_string();
    }
    let sign = if dong < 0 { "âm " } else { "" };
    let mut rest = dong.unsigned_abs();
    let mut parts = Vec::new();
    for (unit, name) in [
        (1_000_000_000u64, "tỷ"),
        (1_000_000, "triệu"),
        (1_000, "nghìn"),
    ] {
        let q = rest / unit;
        rest %= unit;
        if q > 0 {
            parts.push(format!("{} {name}", number(q as i64)));
        }
    }
    if rest > 0 {
        parts.push(number(rest as i64));
    }
    format!("{sign}{} đồng", parts.join(" "))
}

/// Money rounded to the nearest million and written in words, as aggregates are reported:
/// 1_997_564_470_000 → "1.997 tỷ 564 triệu đồng"; an amount under a million is written exactly.
pub fn money_approx(dong: i64) -> String {
    // Under a million, rounding would say "0 đồng" of an amount that is not nothing.
    if dong.abs() < 1_000_000 {
        return money_words(dong);
    }
    let millions = (dong as i128 + if dong >= 0 { 500_000 } else { -500_000 }) / 1_000_000;
    money_words((millions * 1_000_000) as i64)
}

/// Money rounded to a tenth of a billion when it reaches one ("3,3 tỷ đồng", "24,2 tỷ
/// đồng"), as several provinces write amounts in prose; below that, to the million as
/// [`money_approx`] writes it ("950 triệu đồng").
pub fn money_billions(dong: i64) -> String {
    if dong.unsigned_abs() < 1_000_000_000 {
        return money_approx(dong);
    }
    let half = if dong >= 0 { 50_000_000 } else { -50_000_000 };
    let tenths = (dong as i128 + half) / 100_000_000;
    format!("{} tỷ đồng", format_tenths(tenths as i64))
}

/// How a deployment's prose writes amounts of money.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoneyInProse {
    /// In words to the unit they are known: "2 tỷ 50 triệu đồng".
    #[default]
    Words,
    /// Rounded to a tenth of a billion: "2,1 tỷ đồng".
    Billions,
}

impl MoneyInProse {
    /// The setting's value: `words` or `billions`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Words => "words",
            Self::Billions => "billions",
        }
    }

    /// Reads `words` / `billions` (or "chữ" / "tỷ"), accents and case ignored.
    pub fn parse(typed: &str) -> Option<MoneyInProse> {
        match fold(typed).replace(' ', "").as_str() {
            "words" | "chu" | "bangchu" => Some(Self::Words),
            "billions" | "ty" | "tydong" => Some(Self::Billions),
            _ => None,
        }
    }
}

/// A date as dd/mm/yyyy.
pub fn date(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// The date line of an official document (Decree 30): "ngày 08 tháng 7 năm 2022";
/// days 1–9 and months 1–2 take a leading zero.
pub fn document_date(d: Date) -> String {
    let month = u8::from(d.month());
    let month = if month <= 2 {
        format!("0{month}")
    } else {
        month.to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

/// Capitalises the first letter ("tỉnh Bắc Ninh" → "Tỉnh Bắc Ninh").
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The largest number (of đồng, people, classes…) htx takes from a user: a million billion,
/// far above any figure of the movement and far below where the sums of a portfolio or a
/// report could overflow.
pub const MAX_TYPED_NUMBER: i64 = 1_000_000_000_000_000;

/// Reads a whole number typed with Vietnamese thousands separators ("500.000.000", also
/// "500 000 000" or "500,000,000"); `None` when nothing was typed. A separator must be
/// followed by exactly three digits, so a decimal ("1,5", "50000000,0") is refused rather
/// than read as 15 or 500.000.000. Negative numbers, other characters and numbers over
/// [`MAX_TYPED_NUMBER`] are refused with the reason.
pub fn parse_whole_number(s: &str) -> Result<Option<i64>, String> {
    let trimmed = s.trim();
    let well_grouped = trimmed
        .split(['.', ',', ' ', '\u{a0}'])
        .enumerate()
        .all(|(i, g)| !g.is_empty() && (i == 0 || g.len() == 3));
    if !trimmed.is_empty() && !well_grouped {
        return Err(format!("\"{trimmed}\" không phải số nguyên không âm"));
    }
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("\"{s}\" không phải số nguyên không âm"));
    }
    match digits.parse::<i64>() {
        Ok(n) if n <= MAX_TYPED_NUMBER => Ok(Some(n)),
        _ => Err(format!(
            "\"{s}\" lớn quá mức cho phép (tối đa {})",
            number(MAX_TYPED_NUMBER)
        )),
    }
}

/// A recorded UTC timestamp (`2026-11-27T22:48:57.123456Z`) in Vietnam's time (UTC+7):
/// "28/11/2026 05:48".
pub fn local_time(iso: &str) -> String {
    let parsed = time::PrimitiveDateTime::parse(
        iso.get(..19).unwrap_or(iso),
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
    );
    match parsed {
        Ok(t) => {
            let local = t.assume_utc().to_offset(crate::domain::VIETNAM);
            format!(
                "{} {:02}:{:02}",
                date(local.date()),
                local.hour(),
                local.minute()
            )
        }
        Err(_) => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_are_read_with_their_separators_and_bounded() {
        assert_eq!(parse_whole_number("500.000.000"), Ok(Some(500_000_000)));
        assert_eq!(parse_whole_number(" 1 200 "), Ok(Some(1_200)));
        assert_eq!(parse_whole_number("  "), Ok(None));
        assert_eq!(parse_whole_number("1,200"), Ok(Some(1_200)));
        for decimal in [
            "1,5",
            "50000000,0",
            "50.000.000,00",
            "2000000000.0",
            "1.2345",
        ] {
            assert!(parse_whole_number(decimal).is_err(), "{decimal}");
        }
        for bad in [
            "-5",
            "12a",
            "1e9",
            "99999999999999999999",
            "1.000.000.000.000.001",
        ] {
            assert!(parse_whole_number(bad).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_a_bounded_number_or_a_reason(s in "\\PC{0,30}") {
            if let Ok(Some(n)) = parse_whole_number(&s) {
                proptest::prop_assert!((0..=MAX_TYPED_NUMBER).contains(&n));
            }
        }

        #[test]
        fn any_text_is_a_date_in_range_or_a_reason(s in "[0-9/.\\- ]{0,14}") {
            if let Ok(d) = crate::domain::parse_date(&s) {
                proptest::prop_assert!(crate::domain::YEARS.contains(&d.year()));
            }
        }
    }
    use time::macros::date;

    #[test]
    fn numbers_group_thousands_with_dots() {
        assert_eq!(number(24_164_000_000), "24.164.000.000");
        assert_eq!(number(678), "678");
        assert_eq!(number(1000), "1.000");
        assert_eq!(number(-1234), "-1.234");
        assert_eq!(number(0), "0");
    }

    #[test]
    fn small_counts_in_prose_take_a_leading_zero() {
        assert_eq!(count(1), "01");
        assert_eq!(count(9), "09");
        assert_eq!(count(13), "13");
        assert_eq!(count(1234), "1.234");
    }

    #[test]
    fn percentages_use_a_decimal_comma_and_round_half_up() {
        assert_eq!(percent(538, 678).unwrap(), "79,4%");
        assert_eq!(percent(114, 678).unwrap(), "16,8%");
        assert_eq!(percent(26, 678).unwrap(), "3,8%");
        assert_eq!(percent(3, 223).unwrap(), "1,3%");
        assert_eq!(percent(13, 15).unwrap(), "86,7%");
        assert_eq!(percent(4, 8).unwrap(), "50%");
        assert_eq!(percent(1, 8).unwrap(), "12,5%");
        assert_eq!(percent(1, 0), None);
    }

    #[test]
    fn money_is_written_in_official_units() {
        assert_eq!(money(24_164_000_000), "24.164.000.000 đồng");
        assert_eq!(money_words(2_050_000_000), "2 tỷ 50 triệu đồng");
        assert_eq!(money_words(24_164_000_000), "24 tỷ 164 triệu đồng");
        assert_eq!(money_words(950_000_000), "950 triệu đồng");
        assert_eq!(money_words(1_500_000), "1 triệu 500 nghìn đồng");
        assert_eq!(money_words(1_200_000_000_000), "1.200 tỷ đồng");
        assert_eq!(money_words(0), "0 đồng");
        assert_eq!(money_approx(1_997_564_470_000), "1.997 tỷ 564 triệu đồng");
        assert_eq!(money_approx(72_698_182), "73 triệu đồng");
        assert_eq!(money_approx(300_000), "300 nghìn đồng");
        assert_eq!(money_billions(3_340_000_000), "3,3 tỷ đồng");
        assert_eq!(money_billions(24_164_000_000), "24,2 tỷ đồng");
        assert_eq!(money_billions(30_000_000_000), "30 tỷ đồng");
        assert_eq!(money_billions(950_000_000), "950 triệu đồng");
        assert_eq!(money_billions(-2_290_000_000), "-2,3 tỷ đồng");
        assert_eq!(MoneyInProse::parse("Tỷ"), Some(MoneyInProse::Billions));
        assert_eq!(MoneyInProse::parse("words"), Some(MoneyInProse::Words));
    }

    #[test]
    fn dates_are_day_month_year() {
        assert_eq!(date(date!(2022 - 07 - 08)), "08/07/2022");
        assert_eq!(
            document_date(date!(2022 - 07 - 08)),
            "ngày 08 tháng 7 năm 2022"
        );
        assert_eq!(
            document_date(date!(2022 - 02 - 15)),
            "ngày 15 tháng 02 năm 2022"
        );
    }

    #[test]
    fn search_keys_ignore_accents_case_and_treat_dj_as_d() {
        assert_eq!(fold("Hợp tác xã  Đông Hưng"), "hop tac xa dong hung");
        assert_eq!(fold("ĐẠI ĐỒNG"), "dai dong");
        assert_eq!(fold("Quỹ tín dụng"), "quy tin dung");
    }

    #[test]
    fn cleaning_composes_to_nfc_and_collapses_spaces() {
        let decomposed = "Ho\u{031b}\u{0323}p  ta\u{0301}c ";
        assert_eq!(clean(decomposed), "Hợp tác");
    }

    #[test]
    fn vietnamese_order_puts_dj_after_d_and_orders_marks() {
        let mut names = vec!["Đà", "Dương", "Bắc", "Ân", "Ba", "Ăn", "An", "Da"];
        names.sort_by(|a, b| compare_vi(a, b));
        assert_eq!(names, ["An", "Ăn", "Ân", "Ba", "Bắc", "Da", "Dương", "Đà"]);
        let mut keys: Vec<_> = names.iter().map(|n| (sort_key(n), *n)).collect();
        keys.sort();
        let by_key: Vec<_> = keys.into_iter().map(|(_, n)| n).collect();
        assert_eq!(by_key, names);
    }
}
