//! The proleptic Gregorian calendar in UTC, the one place for it: Unix days to and from civil dates
//! (Howard Hinnant's algorithms), the strict digit fields and checks the parsers share, and the HTTP
//! `Date` header (IMF-fixdate). The signer's credential-scope date, the clock-skew reading and the
//! core's Lighthouse time parser all use it. No chrono, no `format!`.

/// Days since 1970-01-01 of a civil date (`month` 1-12; any `day`, unchecked: see [`civil_ms`]).
/// Shifting the year to start in March puts the leap day last.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month 1-12, day 1-31)` of a day counted from 1970-01-01 (negative:
/// before it).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    // In range by construction: 1..=31 and 1..=12.
    (yoe + era * 400 + i64::from(m <= 2), m as u32, d as u32)
}

/// The decimal number in `b[range]`; `None` unless it is all ASCII digits (and not empty).
pub fn digits(b: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    let d = b.get(range)?;
    if d.is_empty() || d.len() > 9 {
        return None;
    }
    d.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

/// Days in `month` (1-12) of the proleptic Gregorian `year`.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Unix milliseconds of a UTC civil time, `None` for an impossible date or time. Seconds may be 60
/// (a leap second), which lands on the next minute as POSIX time does.
pub fn civil_ms(year: u32, month: u32, day: u32, h: u32, mi: u32, s: u32) -> Option<f64> {
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || h > 23
        || mi > 59
        || s > 60
        || year > 9999
    {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    let secs = days * 86_400 + i64::from(h * 3600 + mi * 60 + s);
    Some(secs as f64 * 1000.0)
}

const WEEKDAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
const MONTHS: [&[u8; 3]; 12] =
    [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];

/// Parses an HTTP `Date` in IMF-fixdate form (`Thu, 26 Nov 2026 18:12:33 GMT`) to Unix
/// milliseconds. The obsolete RFC 850 and asctime forms give `None`: without a date the client
/// simply keeps its clock, which is the safe fallback.
pub fn parse_http_date(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    let literals = [(3, b','), (4, b' '), (7, b' '), (11, b' '), (16, b' '), (19, b':'), (22, b':')];
    if b.len() != 29
        || literals.iter().any(|&(i, c)| b.get(i) != Some(&c))
        || b.get(25..) != Some(b" GMT".as_slice())
        || !WEEKDAYS.iter().any(|w| b.get(0..3) == Some(w.as_slice()))
    {
        return None;
    }
    let month = MONTHS.iter().position(|m| b.get(8..11) == Some(m.as_slice()))?;
    civil_ms(
        digits(b, 12..16)?,
        // At most 12: `position` indexes a 12-element array.
        month as u32 + 1,
        digits(b, 5..7)?,
        digits(b, 17..19)?,
        digits(b, 20..22)?,
        digits(b, 23..25)?,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        let p = parse_http_date;
        assert_eq!(p("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(p("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000.0));
        assert_eq!(p("Tue, 14 Nov 2023 22:13:20 GMT"), Some(1_700_000_000_000.0));
        assert_eq!(p("Thu, 26 Nov 2026 18:12:33 GMT"), Some(1_795_716_753_000.0));
        assert_eq!(p("  Thu, 26 Nov 2026 18:12:33 GMT\r\n"), Some(1_795_716_753_000.0));
        // Day, month, year and leap-year boundaries.
        assert_eq!(p("Sun, 31 Dec 2023 23:59:59 GMT"), Some(1_704_067_199_000.0));
        assert_eq!(p("Mon, 01 Jan 2024 00:00:00 GMT"), Some(1_704_067_200_000.0));
        assert_eq!(p("Thu, 29 Feb 2024 00:00:00 GMT"), Some(1_709_164_800_000.0));
        assert_eq!(p("Fri, 01 Mar 2024 00:00:00 GMT"), Some(1_709_251_200_000.0));
        assert_eq!(p("Tue, 29 Feb 2000 12:00:00 GMT"), Some(951_825_600_000.0));
        assert_eq!(p("Wed, 31 Dec 1969 23:59:59 GMT"), Some(-1000.0));
        assert_eq!(p("Fri, 31 Dec 9999 23:59:59 GMT"), Some(253_402_300_799_000.0));
        // A leap second lands on the next minute.
        assert_eq!(p("Sat, 31 Dec 2016 23:59:60 GMT"), Some(1_483_228_800_000.0));
    }

    #[test]
    fn http_dates_rejected() {
        for s in [
            "",
            "garbage",
            "Thu, 29 Feb 2023 00:00:00 GMT",
            "Thu, 29 Feb 1900 00:00:00 GMT",
            "Thu, 31 Apr 2023 00:00:00 GMT",
            "Thu, 00 Jan 2023 00:00:00 GMT",
            "Thu, 32 Jan 2023 00:00:00 GMT",
            "Thu, 01 Foo 2023 00:00:00 GMT",
            "Thu, 01 jan 2023 00:00:00 GMT",
            "Thu, 01 Jan 2023 24:00:00 GMT",
            "Thu, 01 Jan 2023 23:60:00 GMT",
            "Thu, 01 Jan 2023 23:59:61 GMT",
            "Thu, 01 Jan 2023 23:59:59 UTC",
            "Xyz, 01 Jan 2023 23:59:59 GMT",
            "Thu, 1 Jan 2023 23:59:59 GMT",
            "Thu, +1 Jan 2023 23:59:59 GMT",
            "Thu, 01 Jan 2023 23:59:5 GMT ",
            "Thu, 01 Jan 2023 23-59-59 GMT",
            "Thursday, 01-Jan-23 23:59:59 GMT",
            "Thu Jan  1 23:59:59 2023",
            "Thu, 01 Jan 2023 23:59:59 GMTX",
            "Thu, 01 Jan ２０２ 23:59 GMT",
            "Thu, 01 Jan 2023 23:59:59 GM\u{e9}",
        ] {
            assert_eq!(parse_http_date(s), None, "{s}");
        }
    }

    #[test]
    fn http_date_mutations_never_panic() {
        let good = "Thu, 26 Nov 2026 18:12:33 GMT";
        for cut in 0..=good.len() {
            assert_eq!(parse_http_date(&good[..cut]).is_some(), cut == good.len());
        }
        for i in 0..good.len() {
            for c in ["", "0", "9", " ", ":", ",", "é", "\u{0}", "99"] {
                let s = [&good[..i], c, &good[i + 1..]].concat();
                assert!(parse_http_date(&s).is_none_or(f64::is_finite), "{s}");
            }
        }
    }

    #[test]
    fn civil_round_trips_every_day() {
        // 0001-01-01 .. 9999-12-31
        for days in -719_162..=2_932_896i64 {
            let (y, m, d) = civil_from_days(days);
            let y = y as u32;
            assert_eq!(civil_ms(y, m, d, 0, 0, 0), Some(days as f64 * 86_400_000.0), "{y}-{m}-{d}");
            assert_eq!(civil_ms(y, m, d + 1, 0, 0, 0).is_some(), d < days_in_month(y, m));
        }
        assert_eq!(civil_ms(10_000, 1, 1, 0, 0, 0), None);
        assert_eq!(civil_ms(2024, 13, 1, 0, 0, 0), None);
        assert_eq!(civil_ms(2024, 0, 1, 0, 0, 0), None);
    }

    #[test]
    fn digits_parse_strictly() {
        assert_eq!(digits(b"2023", 0..4), Some(2023));
        assert_eq!(digits(b"2023", 0..5), None);
        assert_eq!(digits(b"2023", 2..2), None);
        assert_eq!(digits(b"20a3", 0..4), None);
        assert_eq!(digits(b"9999999999", 0..10), None);
        assert_eq!(digits(b"999999999", 0..9), Some(999_999_999));
    }
}
