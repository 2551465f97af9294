// A faithful port of ehraz-core's validators (normalize.rs, identity.rs, contact.rs,
// bank_card.rs, jalali.rs, one_time_code.rs, flow.rs `Field::parse`), for the test double.
// Same inputs, same normalised values, same error ids.

import type { Field } from './types';

// ---- normalize.rs ----

function asciiDigitOrSelf(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code >= 0x06f0 && code <= 0x06f9) return String.fromCharCode(48 + code - 0x06f0);
  if (code >= 0x0660 && code <= 0x0669) return String.fromCharCode(48 + code - 0x0660);
  return c;
}

function persianLetter(c: string): string {
  if (c === 'ي' || c === 'ى') return 'ی';
  if (c === 'ك') return 'ک';
  return c;
}

function isDash(c: string): boolean {
  const code = c.codePointAt(0) ?? 0;
  return (
    c === '-' ||
    (code >= 0x2010 && code <= 0x2015) ||
    code === 0x2212 ||
    code === 0xfe58 ||
    code === 0xfe63 ||
    code === 0xff0d ||
    c === 'ـ'
  );
}

function isInvisibleMark(c: string): boolean {
  const code = c.codePointAt(0) ?? 0;
  return (
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x061c ||
    code === 0xfeff ||
    code === 0x00ad
  );
}

// Rust's char::is_whitespace (White_Space property).
const WHITE_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;
function isWhitespace(c: string): boolean {
  return WHITE_SPACE.test(c);
}

export function digitsToAscii(input: string): string {
  return [...input].map(asciiDigitOrSelf).join('');
}

export function normalizeText(input: string): string {
  let out = '';
  let pendingSpace = false;
  for (const c of input) {
    if (isInvisibleMark(c) && c !== '\u200c' && c !== '\u200d') continue;
    if (isWhitespace(c)) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += persianLetter(asciiDigitOrSelf(c));
  }
  return out;
}

export function normalizeNumeric(input: string): string {
  let out = '';
  for (const c of input) {
    if (isWhitespace(c) || isDash(c) || isInvisibleMark(c)) continue;
    out += persianLetter(asciiDigitOrSelf(c));
  }
  return out;
}

/** The digit values of a non-empty all-ASCII-digit string, or null. */
function digitsOf(s: string): number[] | null {
  if (s.length === 0 || !/^[0-9]+$/.test(s)) return null;
  return [...s].map((d) => d.charCodeAt(0) - 48);
}

export class FieldRefusal extends Error {
  constructor(public readonly id: string) {
    super(id);
  }
}

const refuse = (id: string): never => {
  throw new FieldRefusal(id);
};

// ---- identity.rs ----

export function nationalCodeCheckDigit(prefix: number[]): number {
  const sum = prefix.reduce((acc, d, i) => acc + d * (10 - i), 0);
  const r = sum % 11;
  return r < 2 ? r : 11 - r;
}

export function parseNationalCode(input: string): string {
  const code = normalizeNumeric(input);
  const digits = digitsOf(code);
  if (!digits) return refuse(code === '' ? 'national-code-empty' : 'national-code-not-digits');
  if (digits.length !== 10) return refuse('national-code-length');
  if (digits.every((d) => d === digits[0])) return refuse('national-code-repeated');
  if (nationalCodeCheckDigit(digits.slice(0, 9)) !== digits[9]) return refuse('national-code-checksum');
  return code;
}

function parseDigits(input: string, prefix: string, ok: (n: number) => boolean): string {
  const code = normalizeNumeric(input);
  const digits = digitsOf(code);
  if (!digits) return refuse(code === '' ? `${prefix}-empty` : `${prefix}-not-digits`);
  if (!ok(digits.length)) return refuse(`${prefix}-length`);
  return code;
}

export const parseSejamTrackingCode = (input: string) =>
  parseDigits(input, 'sejam-tracking-code', (n) => n === 10);

export const parseCardReceiptCode = (input: string) =>
  parseDigits(input, 'card-receipt-code', (n) => n >= 8 && n <= 20);

function isPersianOrArabicLetter(c: string): boolean {
  const code = c.codePointAt(0) ?? 0;
  return (
    (code >= 0x0600 && code <= 0x06ff) || (code >= 0xfb50 && code <= 0xfdff) || (code >= 0xfe70 && code <= 0xfeff)
  );
}

export function parseCardSerial(input: string): string {
  // Rust's to_ascii_uppercase touches ASCII letters only.
  const serial = normalizeNumeric(input).replace(/[a-z]/g, (c) => c.toUpperCase());
  if (serial === '') return refuse('card-serial-empty');
  if ([...serial].some(isPersianOrArabicLetter)) return refuse('card-serial-persian-letters');
  if (!/^[A-Za-z0-9]+$/.test(serial)) return refuse('card-serial-characters');
  if (serial.length < 9 || serial.length > 10) return refuse('card-serial-length');
  return serial;
}

// ---- contact.rs ----

export function parseMobile(input: string): string {
  const typed = normalizeNumeric(input);
  const plus = typed.startsWith('+');
  const digits = plus ? typed.slice(1) : typed;
  if (digits === '' && !plus) return refuse('mobile-empty');
  if (digitsOf(digits) === null) return refuse('mobile-not-digits');
  let national: string | null = null;
  if (plus) {
    national = digits.startsWith('98') ? digits.slice(2) : null;
  } else if (digits.length === 14) {
    national = digits.startsWith('0098') ? digits.slice(4) : null;
  } else if (digits.length === 12) {
    national = digits.startsWith('98') ? digits.slice(2) : null;
  } else if (digits.length === 11) {
    national = digits.startsWith('0') ? digits.slice(1) : null;
  } else if (digits.length === 10) {
    national = digits;
  }
  if (national !== null && national.length === 10 && national.startsWith('9')) return `0${national}`;
  return refuse('mobile-format');
}

export function parseLandline(input: string): string {
  const typed = normalizeNumeric(input);
  if (typed === '') return refuse('landline-empty');
  let digits = typed;
  if (typed.startsWith('+98')) digits = `0${typed.slice(3)}`;
  else if (typed.startsWith('0098')) digits = `0${typed.slice(4)}`;
  if (digitsOf(digits) === null) return refuse('landline-not-digits');
  if (digits.length === 8 && !digits.startsWith('0')) return refuse('landline-missing-area-code');
  if (digits.startsWith('09')) return refuse('landline-is-mobile');
  const areaOk = digits.length > 1 && digits[1] >= '1' && digits[1] <= '8';
  if (digits.length !== 11 || !digits.startsWith('0') || !areaOk) return refuse('landline-format');
  return digits;
}

export function parsePostalCode(input: string): string {
  const code = normalizeNumeric(input);
  const digits = digitsOf(code);
  if (!digits) return refuse(code === '' ? 'postal-code-empty' : 'postal-code-not-digits');
  if (digits.length !== 10) return refuse('postal-code-length');
  if (digits.slice(0, 5).some((d) => d === 0 || d === 2)) return refuse('postal-code-pattern');
  return code;
}

export function parseAddress(input: string): string {
  const address = normalizeText(input);
  const n = [...address].length;
  if (n === 0) return refuse('address-empty');
  if (n < 10) return refuse('address-too-short');
  if (n > 300) return refuse('address-too-long');
  return address;
}

// ---- bank_card.rs ----

export function luhn(digits: number[]): boolean {
  const sum = [...digits].reverse().reduce((acc, d, i) => {
    if (i % 2 === 1) {
      const doubled = d * 2;
      return acc + (doubled > 9 ? doubled - 9 : doubled);
    }
    return acc + d;
  }, 0);
  return sum % 10 === 0;
}

export function parseBankCard(input: string): string {
  const number = normalizeNumeric(input);
  const digits = digitsOf(number);
  if (!digits) return refuse(number === '' ? 'bank-card-empty' : 'bank-card-not-digits');
  if (digits.length !== 16) return refuse('bank-card-length');
  if (!luhn(digits)) return refuse('bank-card-checksum');
  return number;
}

// ---- jalali.rs (the arithmetic of jalaali-js, Borkowski's algorithm) ----

export interface JalaliDate {
  year: number;
  month: number;
  day: number;
}

const BREAKS = [
  -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178,
];
const div = (a: number, b: number) => Math.trunc(a / b);
const mod = (a: number, b: number) => a - Math.trunc(a / b) * b;

function jalCal(jy: number): { leap: number; gy: number; march: number } {
  const gy = jy + 621;
  let leapJ = -14;
  let jp = BREAKS[0];
  let jump = 0;
  for (let i = 1; i < BREAKS.length; i += 1) {
    const jm = BREAKS[i];
    jump = jm - jp;
    if (jy < jm) break;
    leapJ = leapJ + div(jump, 33) * 8 + div(mod(jump, 33), 4);
    jp = jm;
  }
  let n = jy - jp;
  leapJ = leapJ + div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
  if (mod(jump, 33) === 4 && jump - n === 4) leapJ += 1;
  const leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
  const march = 20 + leapJ - leapG;
  if (jump - n < 6) n = n - jump + div(jump + 4, 33) * 33;
  let leap = mod(mod(n + 1, 33) - 1, 4);
  if (leap === -1) leap = 4;
  return { leap, gy, march };
}

function g2d(gy: number, gm: number, gd: number): number {
  let d = div((gy + div(gm - 8, 6) + 100100) * 1461, 4) + div(153 * mod(gm + 9, 12) + 2, 5) + gd - 34840408;
  d = d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
  return d;
}

function d2g(jdn: number): { gy: number; gm: number; gd: number } {
  let j = 4 * jdn + 139361631;
  j = j + div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
  const i = div(mod(j, 1461), 4) * 5 + 308;
  const gd = div(mod(i, 153), 5) + 1;
  const gm = mod(div(i, 153), 12) + 1;
  const gy = div(j, 1461) - 100100 + div(8 - gm, 6);
  return { gy, gm, gd };
}

function d2j(jdn: number): JalaliDate {
  const { gy } = d2g(jdn);
  let year = gy - 621;
  const r = jalCal(year);
  let k = jdn - g2d(gy, 3, r.march);
  if (k >= 0) {
    if (k <= 185) return { year, month: 1 + div(k, 31), day: mod(k, 31) + 1 };
    k -= 186;
  } else {
    year -= 1;
    k += 179;
    if (r.leap === 1) k += 1;
  }
  return { year, month: 7 + div(k, 30), day: mod(k, 30) + 1 };
}

/** Whether the Jalali year has a 30th of Esfand (33-year rule outside the table). */
export function isLeapJalaliYear(year: number): boolean {
  if (year >= BREAKS[0] && year < BREAKS[BREAKS.length - 1]) return jalCal(year).leap === 0;
  return [1, 5, 9, 13, 17, 22, 26, 30].includes(((year % 33) + 33) % 33);
}

export function jalaliMonthLength(year: number, month: number): number {
  if (month <= 6) return 31;
  if (month <= 11) return 30;
  return isLeapJalaliYear(year) ? 30 : 29;
}

export function jalaliFromGregorian(gy: number, gm: number, gd: number): JalaliDate {
  return d2j(g2d(gy, gm, gd));
}

/** Today in Iran (Asia/Tehran, UTC+03:30 since Iran dropped summer time in 2022). */
export function todayInTehran(nowMs: number): JalaliDate {
  const tehran = new Date(nowMs + 3.5 * 3600 * 1000);
  return jalaliFromGregorian(tehran.getUTCFullYear(), tehran.getUTCMonth() + 1, tehran.getUTCDate());
}

function compareDates(a: JalaliDate, b: JalaliDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

const DATE_SEPARATORS = '/-.\u200e\u200f\u061c';

function splitDate(input: string): [number, number, number] {
  const ascii = digitsToAscii(input);
  const isSeparator = (c: string) => isWhitespace(c) || DATE_SEPARATORS.includes(c);
  const chars = [...ascii];
  if (chars.every(isSeparator)) return refuse('birth-date-empty');
  if (!chars.every((c) => (c >= '0' && c <= '9') || isSeparator(c))) return refuse('birth-date-format');
  const groups = ascii.split(/[^0-9]+/).filter((g) => g !== '');
  const short = (g: string) => g.length <= 2;
  let y: string;
  let m: string;
  let d: string;
  if (groups.length === 1 && groups[0].length === 8) {
    [y, m, d] = [groups[0].slice(0, 4), groups[0].slice(4, 6), groups[0].slice(6)];
  } else if (groups.length === 3 && groups[0].length === 4 && short(groups[1]) && short(groups[2])) {
    [y, m, d] = groups;
  } else if (groups.length === 3 && groups[2].length === 4 && short(groups[1]) && short(groups[0])) {
    [d, m, y] = groups;
  } else {
    return refuse('birth-date-format');
  }
  return [Number(y), Number(m), Number(d)];
}

export function parseBirthDate(input: string, today: JalaliDate): string {
  const [year, month, day] = splitDate(input);
  if (year >= 1800 && year <= 2200) return refuse('birth-date-gregorian');
  if (month < 1 || month > 12 || day < 1 || day > jalaliMonthLength(year, month)) {
    return refuse('birth-date-no-such-day');
  }
  const date = { year, month, day };
  if (compareDates(date, today) > 0) return refuse('birth-date-in-future');
  const beforeBirthday = today.month < month || (today.month === month && today.day < day);
  const age = today.year - year - (beforeBirthday ? 1 : 0);
  if (age > 120) return refuse('birth-date-implausible');
  if (age < 18) return refuse('birth-date-underage');
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(year, 4)}/${pad(month, 2)}/${pad(day, 2)}`;
}

// ---- one_time_code.rs ----

export function parseOneTimeCode(input: string, length: number): string {
  const code = normalizeNumeric(input);
  const digits = digitsOf(code);
  if (!digits) return refuse(code === '' ? 'one-time-code-empty' : 'one-time-code-not-digits');
  if (digits.length !== length) return refuse('one-time-code-length');
  return code;
}

// ---- flow.rs `Field::parse` ----

/** Validates and normalises an answer: the stored value, or throws a `FieldRefusal`. */
export function parseField(field: Field, raw: string, today: JalaliDate): string {
  switch (field.kind) {
    case 'mobile':
      return parseMobile(raw);
    case 'national-code':
      return parseNationalCode(raw);
    case 'sejam-tracking-code':
      return parseSejamTrackingCode(raw);
    case 'card-serial':
      return parseCardSerial(raw);
    case 'card-receipt-code':
      return parseCardReceiptCode(raw);
    case 'birth-date':
      return parseBirthDate(raw, today);
    case 'postal-code':
      return parsePostalCode(raw);
    case 'landline':
      return parseLandline(raw);
    case 'bank-card':
      return parseBankCard(raw);
    case 'address':
      return parseAddress(raw);
    case 'choice': {
      const choice = raw.trim();
      if (choice === '') return refuse('choice-empty');
      if (!(field.options ?? []).includes(choice)) return refuse('choice-unknown');
      return choice;
    }
    case 'consent':
      if (raw.trim() === 'true') return 'true';
      return refuse('consent-required');
  }
}
