//! Dates in the Jalali (Solar Hijri) calendar, through ICU4X, and the birth date check.

use icu_calendar::cal::Persian;
use icu_calendar::{Date, Iso};
use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};
use thiserror::Error;

use crate::message::message_ids_from_strum;
use crate::normalize;

/// A valid day of the Jalali calendar, e.g. 1403/12/30 (the last day of leap year 1403).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "JalaliParts", into = "JalaliParts")]
pub struct JalaliDate {
    year: i32,
    month: u8,
    day: u8,
}

/// The raw fields, as stored; turned into a [`JalaliDate`] only if the day exists.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct JalaliParts {
    year: i32,
    month: u8,
    day: u8,
}

/// A year, month and day that name no day of the Jalali calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("{year}/{month}/{day} is not a day of the Jalali calendar")]
pub struct NoSuchJalaliDay {
    /// The year given.
    pub year: i32,
    /// The month given.
    pub month: u8,
    /// The day given.
    pub day: u8,
}

impl JalaliDate {
    /// The day, if it exists (30 Esfand exists only in leap years).
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, NoSuchJalaliDay> {
        let date = Date::try_new_persian(year, month, day).map_err(|_| NoSuchJalaliDay {
            year,
            month,
            day,
        })?;
        // ICU4X checks the month's length; confirm it kept the day we asked for.
        let kept = (
            date.era_year().year,
            date.month().ordinal,
            date.day_of_month().0,
        );
        if kept != (year, month, day) {
            return Err(NoSuchJalaliDay { year, month, day });
        }
        Ok(Self { year, month, day })
    }

    /// The Jalali date of a Gregorian (ISO) day.
    pub fn from_gregorian(year: i32, month: u8, day: u8) -> Option<Self> {
        let iso = Date::try_new_iso(year, month, day).ok()?;
        let persian = iso.to_calendar(Persian);
        Some(Self {
            year: persian.era_year().year,
            month: persian.month().ordinal,
            day: persian.day_of_month().0,
        })
    }

    /// The same day in the Gregorian calendar, as (year, month, day).
    pub fn to_gregorian(self) -> (i32, u8, u8) {
        let iso: Date<Iso> = self.icu().to_calendar(Iso);
        (
            iso.era_year().year,
            iso.month().ordinal,
            iso.day_of_month().0,
        )
    }

    /// Today in Iran (Asia/Tehran) at the given instant.
    pub fn today_in_tehran(now: jiff::Timestamp) -> Self {
        let tehran = jiff::tz::get!("Asia/Tehran");
        let date = tehran.to_datetime(now).date();
        Self::from_gregorian(i32::from(date.year()), date.month() as u8, date.day() as u8)
            .expect("jiff's years (-9999 to 9999) lie within ICU4X's range")
    }

    /// Whether the year has a 30th of Esfand.
    pub fn is_leap_year(year: i32) -> bool {
        Self::new(year, 12, 30).is_ok()
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 (Farvardin) to 12 (Esfand).
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Whole years from `self` to `on`: the age on `on` of someone born on `self`. Someone
    /// born on 30 Esfand has their birthday on 1 Farvardin in common years.
    pub fn whole_years_until(self, on: JalaliDate) -> i32 {
        let before_birthday = (on.month, on.day) < (self.month, self.day);
        on.year - self.year - i32::from(before_birthday)
    }

    fn icu(self) -> Date<Persian> {
        Date::try_new_persian(self.year, self.month, self.day)
            .expect("a JalaliDate is checked to exist when it is made")
    }
}

impl std::fmt::Display for JalaliDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}/{:02}/{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<JalaliParts> for JalaliDate {
    type Error = NoSuchJalaliDay;
    fn try_from(p: JalaliParts) -> Result<Self, Self::Error> {
        Self::new(p.year, p.month, p.day)
    }
}

impl From<JalaliDate> for JalaliParts {
    fn from(d: JalaliDate) -> Self {
        Self {
            year: d.year,
            month: d.month,
            day: d.day,
        }
    }
}

/// A birth date of someone old enough to verify their identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BirthDate(JalaliDate);

/// Why a birth date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum BirthDateError {
    #[error("no birth date was given")]
    #[strum(serialize = "birth-date-empty")]
    Empty,
    #[error("a birth date is written year/month/day")]
    #[strum(serialize = "birth-date-format")]
    Format,
    #[error("this looks like a Gregorian year; the Jalali date is needed")]
    #[strum(serialize = "birth-date-gregorian")]
    Gregorian,
    #[error("this day does not exist in the Jalali calendar")]
    #[strum(serialize = "birth-date-no-such-day")]
    NoSuchDay,
    #[error("the birth date is in the future")]
    #[strum(serialize = "birth-date-in-future")]
    InFuture,
    #[error("the birth date is implausibly long ago")]
    #[strum(serialize = "birth-date-implausible")]
    Implausible,
    #[error("identity verification needs an age of at least 18")]
    #[strum(serialize = "birth-date-underage")]
    Underage,
}

/// What may stand between the year, month and day besides white space.
const DATE_SEPARATORS: &str = "/-.\u{200E}\u{200F}\u{061C}";

impl BirthDate {
    /// The youngest age that may verify.
    pub const MIN_AGE: i32 = 18;
    /// Older than this is taken for a typing mistake.
    pub const MAX_AGE: i32 = 120;

    /// Parses `1370/01/15` (also with `-`, `.` or spaces, day first when the year is
    /// written last, or as eight digits `13700115`) and checks the age on `today`.
    pub fn parse(input: &str, today: JalaliDate) -> Result<Self, BirthDateError> {
        let (year, month, day) = split_date(input)?;
        if (1800..=2200).contains(&year) {
            return Err(BirthDateError::Gregorian);
        }
        let month = u8::try_from(month).map_err(|_| BirthDateError::NoSuchDay)?;
        let day = u8::try_from(day).map_err(|_| BirthDateError::NoSuchDay)?;
        let date = JalaliDate::new(year, month, day).map_err(|_| BirthDateError::NoSuchDay)?;
        if date > today {
            return Err(BirthDateError::InFuture);
        }
        let age = date.whole_years_until(today);
        if age > Self::MAX_AGE {
            return Err(BirthDateError::Implausible);
        }
        if age < Self::MIN_AGE {
            return Err(BirthDateError::Underage);
        }
        Ok(Self(date))
    }

    /// The date.
    pub fn date(self) -> JalaliDate {
        self.0
    }
}

impl std::fmt::Display for BirthDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

fn split_date(input: &str) -> Result<(i32, u32, u32), BirthDateError> {
    let ascii = normalize::digits_to_ascii(input);
    let is_separator = |c: char| c.is_whitespace() || DATE_SEPARATORS.contains(c);
    if ascii.chars().all(is_separator) {
        return Err(BirthDateError::Empty);
    }
    if !ascii.chars().all(|c| c.is_ascii_digit() || is_separator(c)) {
        return Err(BirthDateError::Format);
    }
    let groups: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let short = |g: &str| g.len() <= 2;
    let (y, m, d) = match groups.as_slice() {
        [compact] if compact.len() == 8 => (&compact[..4], &compact[4..6], &compact[6..]),
        [y, m, d] if y.len() == 4 && short(m) && short(d) => (*y, *m, *d),
        [d, m, y] if y.len() == 4 && short(m) && short(d) => (*y, *m, *d),
        _ => return Err(BirthDateError::Format),
    };
    let number = |g: &str| g.parse::<u32>().map_err(|_| BirthDateError::Format);
    let year = i32::try_from(number(y)?).map_err(|_| BirthDateError::Format)?;
    Ok((year, number(m)?, number(d)?))
}

message_ids_from_strum!(BirthDateError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esfand_thirtieth_exists_only_in_leap_years() {
        assert!(JalaliDate::new(1403, 12, 30).is_ok());
        assert!(JalaliDate::new(1402, 12, 30).is_err());
        assert!(JalaliDate::new(1399, 12, 30).is_ok());
        assert!(JalaliDate::is_leap_year(1403));
        assert!(!JalaliDate::is_leap_year(1404));
    }

    #[test]
    fn nowruz_falls_on_the_march_equinox() {
        assert_eq!(
            JalaliDate::new(1403, 1, 1).map(|d| d.to_gregorian()),
            Ok((2024, 3, 20))
        );
        assert_eq!(
            JalaliDate::new(1404, 1, 1).map(|d| d.to_gregorian()),
            Ok((2025, 3, 21))
        );
        assert_eq!(
            JalaliDate::from_gregorian(2025, 3, 20),
            JalaliDate::new(1403, 12, 30).ok()
        );
    }

    #[test]
    fn today_in_tehran_turns_at_local_midnight() {
        // 2025-03-20T20:29:59Z is 23:59:59 in Tehran (UTC+03:30): still 30 Esfand 1403.
        let before: jiff::Timestamp = "2025-03-20T20:29:59Z".parse().expect("timestamp");
        let after: jiff::Timestamp = "2025-03-20T20:30:00Z".parse().expect("timestamp");
        let esfand_30 = JalaliDate::new(1403, 12, 30).expect("a leap day");
        let nowruz = JalaliDate::new(1404, 1, 1).expect("new year");
        assert_eq!(JalaliDate::today_in_tehran(before), esfand_30);
        assert_eq!(JalaliDate::today_in_tehran(after), nowruz);
    }

    #[test]
    fn today_in_tehran_holds_over_all_of_jiffs_range() {
        let first = JalaliDate::today_in_tehran(jiff::Timestamp::MIN);
        let last = JalaliDate::today_in_tehran(jiff::Timestamp::MAX);
        assert!(first < last);
    }
}
