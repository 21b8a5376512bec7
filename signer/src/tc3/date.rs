//! The UTC calendar date of a Unix timestamp, as `YYYY-MM-DD` bytes (no chrono, no `format!`).

use crate::calendar::civil_from_days;

/// `YYYY-MM-DD` of the UTC day containing `timestamp` (Unix seconds). Years past 9999 wrap to
/// four digits; such timestamps are refused before signing anyway.
pub fn utc_date(timestamp: u64) -> [u8; 10] {
    let (y, m, d) = civil_from_days((timestamp / 86_400) as i64);
    let (y, m, d) = (y as u64, u64::from(m), u64::from(d));
    let mut out = *b"0000-00-00";
    let y = y % 10_000;
    let digits = [
        (y / 1000) as u8,
        (y / 100 % 10) as u8,
        (y / 10 % 10) as u8,
        (y % 10) as u8,
        0,
        (m / 10) as u8,
        (m % 10) as u8,
        0,
        (d / 10) as u8,
        (d % 10) as u8,
    ];
    for (i, (o, v)) in out.iter_mut().zip(digits).enumerate() {
        if i != 4 && i != 7 {
            *o = b'0' + v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::utc_date;

    fn s(ts: u64) -> String {
        String::from_utf8(utc_date(ts).to_vec()).unwrap_or_default()
    }

    #[test]
    fn boundaries() {
        assert_eq!(s(0), "1970-01-01");
        assert_eq!(s(86_399), "1970-01-01");
        assert_eq!(s(86_400), "1970-01-02");
        assert_eq!(s(1_551_113_065), "2019-02-25");
        assert_eq!(s(1_700_000_000), "2023-11-14");
        // 2023-12-31T23:59:59Z and the next second
        assert_eq!(s(1_704_067_199), "2023-12-31");
        assert_eq!(s(1_704_067_200), "2024-01-01");
        // leap days
        assert_eq!(s(1_709_164_800), "2024-02-29");
        assert_eq!(s(951_782_400), "2000-02-29");
        assert_eq!(s(4_107_542_400), "2100-03-01");
        assert_eq!(s(253_402_300_799), "9999-12-31");
    }
}
