//! Dates and datetimes as the server writes them on the wire: `YYYY-MM-DD` and
//! `YYYY-MM-DD HH:MM:SS`, always UTC (the real server ignores the context's `tz`, transcript 109).
//!
//! Hand-rolled rather than pulling a date crate: the server only needs "now", format checks and the
//! calendar arithmetic of `read_group`'s date periods (days since the epoch to and from civil dates).

use std::time::{SystemTime, UNIX_EPOCH};

/// The current UTC time as `YYYY-MM-DD HH:MM:SS`.
pub fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format_unix(secs)
}

/// Formats seconds since the epoch as `YYYY-MM-DD HH:MM:SS`.
pub fn format_unix(secs: u64) -> String {
    format_seconds(secs as i64)
}

/// Formats seconds since the epoch (negative before 1970) as `YYYY-MM-DD HH:MM:SS`.
pub fn format_seconds(secs: i64) -> String {
    let rem = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}",
        format_days(secs.div_euclid(86_400)),
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Formats days since the epoch as `YYYY-MM-DD`.
pub fn format_days(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Seconds since the epoch of a stored `YYYY-MM-DD HH:MM:SS` datetime or `YYYY-MM-DD` date
/// (midnight), as [`normalize_date`] and [`normalize_datetime`] store them.
pub fn parse_seconds(s: &str) -> Option<i64> {
    let s = normalize_datetime(s)?;
    let field = |range: std::ops::Range<usize>| s.get(range).and_then(digits);
    let days = days_from_civil(i64::from(field(0..4)?), field(5..7)?, field(8..10)?);
    let time = i64::from(field(11..13)? * 3600 + field(14..16)? * 60 + field(17..19)?);
    Some(days * 86_400 + time)
}

/// Howard Hinnant's civil-to-days conversion: days since 1970-01-01 of `y-m-d`.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's days-to-civil conversion: `(year, month, day)` of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Whether `s` is a valid `YYYY-MM-DD` date.
pub fn is_date(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    y.len() == 4
        && m.len() == 2
        && d.len() == 2
        && digits(y).is_some()
        && digits(m).is_some_and(|m| (1..=12).contains(&m))
        && digits(d).is_some_and(|d| (1..=31).contains(&d))
}

/// Whether `s` is a valid `HH:MM:SS` time.
fn is_time(s: &str) -> bool {
    let mut parts = s.split(':');
    let (Some(h), Some(m), Some(sec), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    [h, m, sec].iter().all(|p| p.len() == 2)
        && digits(h).is_some_and(|h| h < 24)
        && digits(m).is_some_and(|m| m < 60)
        && digits(sec).is_some_and(|s| s < 62)
}

/// Normalizes a date the way the server accepts it: `YYYY-MM-DD`, or a datetime cut to its date.
pub fn normalize_date(s: &str) -> Option<String> {
    let date = s.get(..10)?;
    (is_date(date) && (s.len() == 10 || normalize_datetime(s).is_some())).then(|| date.to_owned())
}

/// Normalizes a datetime: `YYYY-MM-DD HH:MM:SS`, or a bare date at midnight.
pub fn normalize_datetime(s: &str) -> Option<String> {
    if s.len() == 10 && is_date(s) {
        return Some(format!("{s} 00:00:00"));
    }
    let (date, time) = s.split_once([' ', 'T'])?;
    let time = time.get(..8)?;
    (is_date(date) && is_time(time)).then(|| format!("{date} {time}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_unix(0), "1970-01-01 00:00:00");
        assert_eq!(format_unix(1_796_024_261), "2026-11-30 07:37:41");
        assert_eq!(format_seconds(-1), "1969-12-31 23:59:59");
    }

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for days in [-800_000, -1, 0, 59, 60, 11_016, 20_789, 800_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(parse_seconds("2026-11-30 07:37:41"), Some(1_796_024_261));
        assert_eq!(
            parse_seconds("2026-11-30"),
            Some(1_796_024_261 - 7 * 3600 - 37 * 60 - 41)
        );
        assert_eq!(parse_seconds("30/11/2026"), None);
    }

    #[test]
    fn accepts_and_rejects_dates() {
        assert_eq!(normalize_date("2026-12-31").as_deref(), Some("2026-12-31"));
        assert_eq!(
            normalize_date("2026-12-31 10:00:00").as_deref(),
            Some("2026-12-31")
        );
        assert_eq!(normalize_date("2026-13-01"), None);
        assert_eq!(normalize_date("31/12/2026"), None);
        assert_eq!(
            normalize_datetime("2026-12-31").as_deref(),
            Some("2026-12-31 00:00:00")
        );
        assert_eq!(normalize_datetime("2026-12-31 25:00:00"), None);
    }
}
