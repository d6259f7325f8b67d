//! The `chrono`, `time` and `jiff` conversions of [`Date`] and [`DateTime`] at their edges: leap
//! days, the end of a year, the first and last values the SDK holds, refusals (years out of range,
//! fractions of a second, leap seconds, offsets that leave the range once in UTC), the server's
//! naive UTC date-times off the wire, and the three crates agreeing with each other day by day.
#![cfg(all(feature = "chrono", feature = "time", feature = "jiff"))]

use chrono::{Datelike as _, NaiveDate, NaiveDateTime, Timelike as _, Utc};
use jiff::{Timestamp, civil};
use taskflow_sdk::fields::{Date, DateTime};
use taskflow_sdk::xmlrpc::{self, Limits, Response};
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn at(s: &str) -> DateTime {
    s.parse().unwrap()
}

/// Every conversion of `d` out and back, each checked against the SDK's year, month and day.
fn assert_date_round_trips(d: Date) {
    let (y, m, day) = (d.year(), d.month(), d.day());
    let c = NaiveDate::from(d);
    assert_eq!(
        (c.year(), c.month(), c.day()),
        (y.into(), m.into(), day.into()),
        "{d}"
    );
    assert_eq!(Date::try_from(c), Ok(d));
    let t = time::Date::from(d);
    assert_eq!(
        (t.year(), t.month() as u8, t.day()),
        (y.into(), m, day),
        "{d}"
    );
    assert_eq!(Date::try_from(t), Ok(d));
    let j = civil::Date::from(d);
    assert_eq!(
        (j.year(), j.month(), j.day()),
        (y as i16, m as i8, day as i8),
        "{d}"
    );
    assert_eq!(Date::try_from(j), Ok(d));
}

/// Every conversion of `a` out and back, each checked against the SDK's fields and unix seconds.
fn assert_date_time_round_trips(a: DateTime) {
    let (h, mi, s) = a.time();
    let secs = a.unix_seconds();
    assert_date_round_trips(a.date());

    let c = NaiveDateTime::from(a);
    assert_eq!(
        (c.hour(), c.minute(), c.second()),
        (h.into(), mi.into(), s.into()),
        "{a}"
    );
    assert_eq!(DateTime::try_from(c), Ok(a));
    let cu = chrono::DateTime::<Utc>::from(a);
    assert_eq!(cu.timestamp(), secs, "{a}");
    assert_eq!(DateTime::try_from(cu), Ok(a));

    let t = PrimitiveDateTime::from(a);
    assert_eq!((t.hour(), t.minute(), t.second()), (h, mi, s), "{a}");
    assert_eq!(DateTime::try_from(t), Ok(a));
    let tu = OffsetDateTime::from(a);
    assert_eq!(
        (tu.unix_timestamp(), tu.offset()),
        (secs, UtcOffset::UTC),
        "{a}"
    );
    assert_eq!(DateTime::try_from(tu), Ok(a));

    let j = civil::DateTime::from(a);
    assert_eq!(
        (j.hour(), j.minute(), j.second()),
        (h as i8, mi as i8, s as i8),
        "{a}"
    );
    assert_eq!(DateTime::try_from(j), Ok(a));
    match Timestamp::try_from(a) {
        Ok(ju) => {
            assert_eq!(ju.as_second(), secs, "{a}");
            assert_eq!(DateTime::try_from(ju), Ok(a));
        }
        // jiff's instants end 26 hours before the SDK's date-times.
        Err(err) => assert!(secs > Timestamp::MAX.as_second(), "{a}: {err}"),
    }
}

#[test]
fn leap_days_and_the_days_around_them_convert() {
    for d in [
        "2024-02-28",
        "2024-02-29",
        "2024-03-01",
        "2000-02-29",
        "1900-02-28",
        "1900-03-01",
        "2100-02-28",
    ] {
        assert_date_round_trips(date(d));
        assert_date_time_round_trips(at(&format!("{d} 12:34:56")));
    }
    // The day after 1900-02-28 is 1900-03-01 in every crate: 1900 is no leap year.
    let sdk = at("1900-02-28 00:00:00");
    let next = DateTime::from_unix_seconds(sdk.unix_seconds() + 86_400).unwrap();
    assert_eq!(next.to_string(), "1900-03-01 00:00:00");
    assert_eq!(
        NaiveDate::from(sdk.date()).succ_opt().unwrap(),
        NaiveDate::from(next.date())
    );
    assert_eq!(
        time::Date::from(sdk.date()).next_day().unwrap(),
        time::Date::from(next.date())
    );
    assert_eq!(
        civil::Date::from(sdk.date()).tomorrow().unwrap(),
        civil::Date::from(next.date())
    );
    // And 2000-02-29 exists in each (2000 is a leap year: divisible by 400).
    assert!(NaiveDate::from_ymd_opt(2000, 2, 29).is_some());
    assert!(NaiveDate::from_ymd_opt(1900, 2, 29).is_none());
}

#[test]
fn the_last_second_of_1999_rolls_over_to_2000_in_each_crate() {
    let last = at("1999-12-31 23:59:59");
    assert_date_time_round_trips(last);
    let first = at("2000-01-01 00:00:00");
    assert_date_time_round_trips(first);

    let c = chrono::DateTime::<Utc>::from(last) + chrono::Duration::seconds(1);
    assert_eq!(DateTime::try_from(c), Ok(first));
    let t = OffsetDateTime::from(last) + time::Duration::seconds(1);
    assert_eq!(DateTime::try_from(t), Ok(first));
    let j = Timestamp::try_from(last).unwrap() + jiff::SignedDuration::from_secs(1);
    assert_eq!(DateTime::try_from(j), Ok(first));
    let jc = civil::DateTime::from(last)
        .checked_add(jiff::SignedDuration::from_secs(1))
        .unwrap();
    assert_eq!(DateTime::try_from(jc), Ok(first));
}

#[test]
fn the_earliest_and_latest_sdk_values_round_trip() {
    let earliest = at("0001-01-01 00:00:00");
    let latest = at("9999-12-31 23:59:59");
    assert_date_time_round_trips(earliest);
    assert_date_time_round_trips(latest);
    assert_eq!(earliest.unix_seconds(), -62_135_596_800);
    assert_eq!(latest.unix_seconds(), 253_402_300_799);
    assert_eq!(
        NaiveDateTime::from(latest),
        NaiveDate::from_ymd_opt(9999, 12, 31)
            .unwrap()
            .and_hms_opt(23, 59, 59)
            .unwrap()
    );
    assert_eq!(
        civil::DateTime::from(earliest),
        civil::date(1, 1, 1).at(0, 0, 0, 0)
    );
}

#[test]
fn jiffs_instants_end_26_hours_before_the_sdks_date_times() {
    let last = at("9999-12-30 22:00:00");
    assert_eq!(
        Timestamp::try_from(last).unwrap().as_second(),
        Timestamp::MAX.as_second()
    );
    // Timestamp::MAX itself has nanoseconds (.999999999): refused as a fraction of a second.
    assert!(DateTime::try_from(Timestamp::MAX).is_err());
    for beyond in ["9999-12-30 22:00:01", "9999-12-31 23:59:59"] {
        let err = Timestamp::try_from(at(beyond)).unwrap_err().to_string();
        assert!(
            err.contains(beyond) && err.contains("jiff::Timestamp"),
            "{err}"
        );
        assert!(
            err.contains("jiff::civil::DateTime instead"),
            "says what to do: {err}"
        );
        // The civil date-time holds it.
        assert_eq!(
            DateTime::try_from(civil::DateTime::from(at(beyond))),
            Ok(at(beyond))
        );
    }
}

#[test]
fn years_outside_1_to_9999_are_refused() {
    // Year 0 and before: all three crates hold them.
    let c = NaiveDate::from_ymd_opt(0, 12, 31).unwrap();
    let err = Date::try_from(c).unwrap_err().to_string();
    assert!(err.contains("outside years 1 to 9999"), "{err}");
    assert!(err.contains("chrono::NaiveDate"), "{err}");
    assert!(DateTime::try_from(c.and_hms_opt(23, 59, 59).unwrap()).is_err());
    assert!(DateTime::try_from(c.and_hms_opt(23, 59, 59).unwrap().and_utc()).is_err());
    // After 9999: chrono holds them.
    let c = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
    assert!(Date::try_from(c).is_err());
    assert!(DateTime::try_from(c.and_hms_opt(0, 0, 0).unwrap().and_utc()).is_err());

    let t = time::Date::from_calendar_date(0, time::Month::December, 31).unwrap();
    let err = Date::try_from(t).unwrap_err().to_string();
    assert!(
        err.contains("time::Date") && err.contains("outside years 1 to 9999"),
        "{err}"
    );
    assert!(DateTime::try_from(PrimitiveDateTime::new(t, time::Time::MIDNIGHT)).is_err());
    assert!(
        DateTime::try_from(PrimitiveDateTime::new(t, time::Time::MIDNIGHT).assume_utc()).is_err()
    );

    let j = civil::date(-1, 6, 15);
    let err = Date::try_from(j).unwrap_err().to_string();
    assert!(
        err.contains("jiff::civil::Date") && err.contains("outside years 1 to 9999"),
        "{err}"
    );
    assert!(DateTime::try_from(j.at(0, 0, 0, 0)).is_err());
    assert!(DateTime::try_from(Timestamp::MIN).is_err());
    assert!(DateTime::try_from(Timestamp::from_second(-62_135_596_801).unwrap()).is_err());
    assert!(DateTime::try_from(Timestamp::from_second(-62_135_596_800).unwrap()).is_ok());
}

#[test]
fn an_offset_converts_to_utc_and_may_leave_the_range_there() {
    let sdk = at("2026-11-30 07:37:41");
    let plus_two = UtcOffset::from_hms(2, 0, 0).unwrap();
    let local = OffsetDateTime::from(sdk).to_offset(plus_two);
    assert_eq!((local.hour(), local.offset()), (9, plus_two));
    assert_eq!(DateTime::try_from(local), Ok(sdk));

    // 9999-12-31 23:00 at -05:00 is 10000-01-01 04:00 UTC: past the SDK's range.
    let minus_five = UtcOffset::from_hms(-5, 0, 0).unwrap();
    let late = PrimitiveDateTime::from(at("9999-12-31 23:00:00")).assume_offset(minus_five);
    let err = DateTime::try_from(late).unwrap_err().to_string();
    assert!(err.contains("in UTC, outside years 1 to 9999"), "{err}");
    // 0001-01-01 00:30 at +01:00 is year 0 in UTC.
    let plus_one = UtcOffset::from_hms(1, 0, 0).unwrap();
    let early = PrimitiveDateTime::from(at("0001-01-01 00:30:00")).assume_offset(plus_one);
    assert!(DateTime::try_from(early).is_err());
    // 0001-01-01 00:30 at -01:00 is in range: 01:30 UTC.
    let minus_one = UtcOffset::from_hms(-1, 0, 0).unwrap();
    let fine = PrimitiveDateTime::from(at("0001-01-01 00:30:00")).assume_offset(minus_one);
    assert_eq!(DateTime::try_from(fine), Ok(at("0001-01-01 01:30:00")));
}

#[test]
fn fractions_of_a_second_are_refused_not_truncated() {
    let sdk = at("2026-11-30 07:37:41");
    let refused = |err: taskflow_sdk::fields::ParseError, ty: &str| {
        let err = err.to_string();
        assert!(
            err.contains(ty) && err.contains("fraction of a second"),
            "{err}"
        );
        assert!(err.contains("round"), "says what to do: {err}");
    };
    for nanos in [1, 500_000_000, 999_999_999] {
        let c = NaiveDateTime::from(sdk).with_nanosecond(nanos).unwrap();
        refused(DateTime::try_from(c).unwrap_err(), "chrono::NaiveDateTime");
        assert!(DateTime::try_from(c.and_utc()).is_err());

        let t = PrimitiveDateTime::from(sdk)
            .replace_nanosecond(nanos)
            .unwrap();
        refused(
            DateTime::try_from(t).unwrap_err(),
            "time::PrimitiveDateTime",
        );
        refused(
            DateTime::try_from(t.assume_utc()).unwrap_err(),
            "time::OffsetDateTime",
        );

        let j = civil::DateTime::from(sdk)
            .with()
            .subsec_nanosecond(nanos as i32)
            .build()
            .unwrap();
        refused(DateTime::try_from(j).unwrap_err(), "jiff::civil::DateTime");
        let ju = Timestamp::try_from(sdk).unwrap() + jiff::SignedDuration::from_nanos(nanos.into());
        refused(DateTime::try_from(ju).unwrap_err(), "jiff::Timestamp");
    }
    // Before the epoch too (negative timestamps, where jiff's sub-second part is negative).
    let ju = Timestamp::try_from(at("1969-12-31 23:59:59")).unwrap()
        + jiff::SignedDuration::from_millis(500);
    assert!(DateTime::try_from(ju).is_err());
    let tu = OffsetDateTime::from(at("1969-12-31 23:59:59")) + time::Duration::milliseconds(500);
    assert!(DateTime::try_from(tu).is_err());
}

#[test]
fn a_chrono_leap_second_is_refused() {
    let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
        .unwrap()
        .and_hms_milli_opt(23, 59, 59, 1_000)
        .unwrap();
    let err = DateTime::try_from(leap).unwrap_err().to_string();
    assert!(err.contains("leap second"), "{err}");
    assert!(DateTime::try_from(leap.and_utc()).is_err());
}

#[test]
fn the_servers_naive_utc_date_times_off_the_wire() {
    let wire = "2026-11-30 07:37:41";
    let body = format!(
        "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>{wire}</string>\
         </value></param></params></methodResponse>"
    );
    let sdk = match xmlrpc::decode_response::<DateTime>(body.as_bytes(), &Limits::default()) {
        Ok(Response::Success(sdk)) => sdk,
        other => panic!("expected a date-time, got {other:?}"),
    };
    const UNIX: i64 = 1_796_024_261;
    assert_eq!(sdk.unix_seconds(), UNIX);

    let c = chrono::DateTime::<Utc>::from(sdk);
    assert_eq!(c.timestamp(), UNIX);
    assert_eq!(c.to_rfc3339(), "2026-11-30T07:37:41+00:00");
    let t = OffsetDateTime::from(sdk);
    assert_eq!(t.unix_timestamp(), UNIX);
    let j = Timestamp::try_from(sdk).unwrap();
    assert_eq!(j.as_second(), UNIX);
    assert_eq!(j.to_string(), "2026-11-30T07:37:41Z");

    for back in [
        DateTime::try_from(c).unwrap(),
        DateTime::try_from(t).unwrap(),
        DateTime::try_from(j).unwrap(),
        DateTime::try_from(c.naive_utc()).unwrap(),
        DateTime::try_from(PrimitiveDateTime::new(t.date(), t.time())).unwrap(),
        DateTime::try_from(civil::DateTime::from(sdk)).unwrap(),
    ] {
        assert_eq!(back.to_string(), wire);
        let encoded = String::from_utf8(xmlrpc::encode_response(&back).unwrap()).unwrap();
        assert!(
            encoded.contains(&format!("<string>{wire}</string>")),
            "{encoded}"
        );
    }
}

/// Every third day from 1899 to 2101, at a time of day that moves: the three crates agree with
/// the SDK and with each other, and everything converts back.
#[test]
fn the_three_crates_agree_day_by_day_from_1899_to_2101() {
    let start = at("1899-01-01 00:00:00").unix_seconds();
    let end = at("2101-12-31 23:59:59").unix_seconds();
    let mut seconds = start;
    let mut checked = 0;
    while seconds <= end {
        let sdk = DateTime::from_unix_seconds(seconds).unwrap();
        assert_date_time_round_trips(sdk);
        let c = NaiveDateTime::from(sdk);
        let t = PrimitiveDateTime::from(sdk);
        let j = civil::DateTime::from(sdk);
        let fields = |y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32| (y, mo, d, h, mi, s);
        let from_chrono = fields(
            c.year().into(),
            c.month(),
            c.day(),
            c.hour(),
            c.minute(),
            c.second(),
        );
        let from_time = fields(
            t.year().into(),
            (t.month() as u8).into(),
            t.day().into(),
            t.hour().into(),
            t.minute().into(),
            t.second().into(),
        );
        let from_jiff = fields(
            j.year().into(),
            j.month() as u32,
            j.day() as u32,
            j.hour() as u32,
            j.minute() as u32,
            j.second() as u32,
        );
        assert_eq!(from_chrono, from_time, "{sdk}");
        assert_eq!(from_time, from_jiff, "{sdk}");
        assert_eq!(c.format("%Y-%m-%d %H:%M:%S").to_string(), sdk.to_string());
        assert_eq!(
            NaiveDate::from(sdk.date()).weekday().num_days_from_monday(),
            u32::from(
                time::Date::from(sdk.date())
                    .weekday()
                    .number_days_from_monday()
            ),
            "{sdk}"
        );
        assert_eq!(
            u32::from(
                time::Date::from(sdk.date())
                    .weekday()
                    .number_days_from_monday()
            ),
            civil::Date::from(sdk.date())
                .weekday()
                .to_monday_zero_offset() as u32,
            "{sdk}"
        );
        checked += 1;
        // Three days and 3,601 seconds: every hour, minute and second comes round.
        seconds += 3 * 86_400 + 3_601;
    }
    assert!(checked > 24_000, "{checked}");
}
