//! The periods `read_group` groups date and datetime fields by (`create_date:day`): truncation,
//! the range a group covers and its label, as Odoo 17 computes them for the `en_US` language
//! (transcript 130).
//!
//! Datetimes are grouped in UTC: the real server groups in the context's `tz` when one is given,
//! which this server does not model (it has no time-zone database).

use crate::clock;
use crate::fault::{Fault, py_repr};
use crate::schema::FieldType;

/// The granularity of a date grouping, Odoo's `READ_GROUP_TIME_GRANULARITY`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granularity {
    /// `hour`
    Hour,
    /// `day`
    Day,
    /// `week`: weeks start on Sunday, `en_US`'s first day of the week in Odoo's `res.lang`.
    Week,
    /// `month`, the default of a bare date field.
    Month,
    /// `quarter`
    Quarter,
    /// `year`
    Year,
}

impl Granularity {
    /// The granularity named `name`, refused with the real server's `ValueError`.
    pub fn parse(name: &str) -> Result<Granularity, Fault> {
        Ok(match name {
            "hour" => Granularity::Hour,
            "day" => Granularity::Day,
            "week" => Granularity::Week,
            "month" => Granularity::Month,
            "quarter" => Granularity::Quarter,
            "year" => Granularity::Year,
            other => {
                return Err(Fault::value(format!(
                    "Granularity specification isn't correct: {}",
                    py_repr(other)
                )));
            }
        })
    }
}

const SECONDS_PER_DAY: i64 = 86_400;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The period a value falls in: `[start, end)`, in seconds since the epoch (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// The first second of the period (PostgreSQL's `date_trunc`).
    pub start: i64,
    granularity: Granularity,
}

impl Period {
    /// The period of `granularity` holding the stored value `value` (`YYYY-MM-DD[ HH:MM:SS]`).
    pub fn of(value: &str, granularity: Granularity) -> Option<Period> {
        let secs = clock::parse_seconds(value)?;
        let days = secs.div_euclid(SECONDS_PER_DAY);
        let (y, m, _) = clock::civil_from_days(days);
        let start_day = match granularity {
            Granularity::Hour => {
                return Some(Period::starting(secs - secs.rem_euclid(3600), granularity));
            }
            Granularity::Day => days,
            // 1970-01-01 was a Thursday, four days after a Sunday.
            Granularity::Week => days - (days + 4).rem_euclid(7),
            Granularity::Month => clock::days_from_civil(y, m, 1),
            Granularity::Quarter => clock::days_from_civil(y, (m - 1) / 3 * 3 + 1, 1),
            Granularity::Year => clock::days_from_civil(y, 1, 1),
        };
        Some(Period::starting(start_day * SECONDS_PER_DAY, granularity))
    }

    /// The period of `granularity` that starts at `start` (a value of [`Period::start`]).
    pub fn starting(start: i64, granularity: Granularity) -> Period {
        Period { start, granularity }
    }

    /// The first second after the period: `start` plus the granularity's interval.
    fn end(&self) -> i64 {
        let months = match self.granularity {
            Granularity::Hour => return self.start + 3600,
            Granularity::Day => return self.start + SECONDS_PER_DAY,
            Granularity::Week => return self.start + 7 * SECONDS_PER_DAY,
            Granularity::Month => 1,
            Granularity::Quarter => 3,
            Granularity::Year => 12,
        };
        // Month-based periods start on the first of a month at midnight.
        let (y, m, _) = clock::civil_from_days(self.start.div_euclid(SECONDS_PER_DAY));
        let index = y * 12 + i64::from(m - 1) + months;
        clock::days_from_civil(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
            * SECONDS_PER_DAY
    }

    /// `(from, to)` as the group's `__range` and `__domain` give them: datetimes as
    /// `YYYY-MM-DD HH:MM:SS`, dates as `YYYY-MM-DD` (an hour of a date is then an empty range,
    /// as on the real server).
    pub fn bounds(&self, ftype: FieldType) -> (String, String) {
        let format = |secs: i64| match ftype {
            FieldType::Date => clock::format_days(secs.div_euclid(SECONDS_PER_DAY)),
            _ => clock::format_seconds(secs),
        };
        (format(self.start), format(self.end()))
    }

    /// The group's label, Babel's rendering of Odoo's `READ_GROUP_DISPLAY_FORMAT` in `en_US`:
    /// `02 Dec 2026`, `W49 2026`, `December 2026`, `Q4 2026`, `2026`, `03:00 02 Dec`.
    ///
    /// An hour of a date field is the real server's `AttributeError`: Babel formats the hour of
    /// a `datetime.date`.
    pub fn label(&self, ftype: FieldType) -> Result<String, Fault> {
        let days = self.start.div_euclid(SECONDS_PER_DAY);
        let (y, m, d) = clock::civil_from_days(days);
        let month = MONTHS[(m - 1) as usize];
        let short = &month[..3];
        Ok(match self.granularity {
            Granularity::Hour if ftype == FieldType::Date => {
                return Err(Fault::exception(
                    "AttributeError",
                    "'datetime.date' object has no attribute 'hour'",
                ));
            }
            Granularity::Hour => {
                // `hh` is the 12-hour clock: midnight is 12.
                let hour = self.start.rem_euclid(SECONDS_PER_DAY) / 3600;
                let hour12 = if hour % 12 == 0 { 12 } else { hour % 12 };
                format!("{hour12:02}:00 {d:02} {short}")
            }
            Granularity::Day => format!("{d:02} {short} {y:04}"),
            Granularity::Week => format!("W{} {:04}", week_of_year(days), iso_year(days)),
            Granularity::Month => format!("{month} {y:04}"),
            Granularity::Quarter => format!("Q{} {y:04}", (m - 1) / 3 + 1),
            Granularity::Year => format!("{y:04}"),
        })
    }
}

/// Babel's `w` (week of year) in `en_US`: weeks start on Sunday (`first_week_day` 6, Monday
/// being 0) and the week holding January 1st is week 1 (`min_week_days` 1). Counted within the
/// calendar year of `days`, as Babel 2.9/2.10 (the versions Odoo 17 pins) count it.
fn week_of_year(days: i64) -> i64 {
    const FIRST_WEEK_DAY: i64 = 6;
    const MIN_WEEK_DAYS: i64 = 1;
    let (y, _, _) = clock::civil_from_days(days);
    let day_of_year = days - clock::days_from_civil(y, 1, 1) + 1;
    let weekday = (days + 3).rem_euclid(7); // Python's weekday(): Monday 0
    let first_day = (weekday - FIRST_WEEK_DAY - day_of_year + 1).rem_euclid(7);
    let mut week = (day_of_year + first_day - 1) / 7;
    if 7 - first_day >= MIN_WEEK_DAYS {
        week += 1;
    }
    week
}

/// The ISO 8601 week-numbering year of `days`, Babel's `YYYY`: the year of that week's Thursday.
fn iso_year(days: i64) -> i64 {
    let thursday = days - (days + 3).rem_euclid(7) + 3;
    clock::civil_from_days(thursday).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(value: &str, granularity: &str) -> Period {
        Period::of(value, Granularity::parse(granularity).unwrap()).unwrap()
    }

    fn label(value: &str, granularity: &str, ftype: FieldType) -> String {
        period(value, granularity).label(ftype).unwrap()
    }

    #[test]
    fn labels_match_odoo_en_us() {
        let dt = FieldType::Datetime;
        assert_eq!(label("2026-12-02 10:11:12", "day", dt), "02 Dec 2026");
        assert_eq!(label("2026-12-02 10:11:12", "week", dt), "W49 2026");
        assert_eq!(label("2026-12-02 10:11:12", "month", dt), "December 2026");
        assert_eq!(label("2026-12-02 10:11:12", "quarter", dt), "Q4 2026");
        assert_eq!(label("2026-12-02 10:11:12", "year", dt), "2026");
        assert_eq!(label("2026-12-02 15:11:12", "hour", dt), "03:00 02 Dec");
        assert_eq!(label("2026-12-02 00:59:59", "hour", dt), "12:00 02 Dec");
        assert_eq!(
            label("2026-02-14", "month", FieldType::Date),
            "February 2026"
        );
        // Babel's week-year is ISO's: the week starting Sunday 2025-12-28 is "W53 2025", the one
        // starting Sunday 2027-01-03 is week 2 of the calendar year but of ISO year 2026.
        assert_eq!(label("2026-01-01", "week", FieldType::Date), "W53 2025");
        assert_eq!(label("2027-01-05", "week", FieldType::Date), "W2 2026");
        assert!(period("2026-12-02", "hour").label(FieldType::Date).is_err());
    }

    #[test]
    fn bounds_cover_the_period() {
        let dt = FieldType::Datetime;
        let bounds = |v: &str, g: &str| period(v, g).bounds(dt);
        assert_eq!(
            bounds("2026-12-02 10:11:12", "day"),
            ("2026-12-02 00:00:00".into(), "2026-12-03 00:00:00".into())
        );
        assert_eq!(
            bounds("2026-12-02 10:11:12", "week"),
            ("2026-11-29 00:00:00".into(), "2026-12-06 00:00:00".into())
        );
        assert_eq!(
            bounds("2026-12-31 23:59:59", "month"),
            ("2026-12-01 00:00:00".into(), "2027-01-01 00:00:00".into())
        );
        assert_eq!(
            bounds("2026-11-15 08:00:00", "quarter"),
            ("2026-10-01 00:00:00".into(), "2027-01-01 00:00:00".into())
        );
        assert_eq!(
            bounds("2024-02-29 08:00:00", "year"),
            ("2024-01-01 00:00:00".into(), "2025-01-01 00:00:00".into())
        );
        assert_eq!(
            bounds("2026-12-02 10:11:12", "hour"),
            ("2026-12-02 10:00:00".into(), "2026-12-02 11:00:00".into())
        );
        assert_eq!(
            period("2026-12-02", "day").bounds(FieldType::Date),
            ("2026-12-02".into(), "2026-12-03".into())
        );
    }

    #[test]
    fn unknown_granularity_is_a_value_error() {
        assert_eq!(
            Granularity::parse("fortnight"),
            Err(Fault::value(
                "Granularity specification isn't correct: 'fortnight'"
            ))
        );
    }
}
