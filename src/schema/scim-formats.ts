/**
 * Value formats of RFC 7643 §2.3 that JSON types alone do not capture.
 */

/** JSON Schema format name for `dateTime` values. */
export const DATE_TIME_FORMAT = 'scim-dateTime';
/** JSON Schema format name for `binary` values. */
export const BINARY_FORMAT = 'scim-binary';

const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:Z|([+-])(\d{2}):(\d{2}))?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * True when `text` is an `xsd:dateTime` (RFC 7643 §2.3.5): a date and a time, optional fractional
 * seconds, and an optional `Z` or `±hh:mm` offset; the fields must name a real calendar instant
 * (`2015-02-30T00:00:00Z` is rejected). `24:00:00` is accepted as the end of a day.
 */
export function isScimDateTime(text: string): boolean {
  if (text.length > 64) return false;
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1) return false;
  const maxDay = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (maxDay === undefined || day > maxDay) return false;
  if (hour === 24) {
    if (minute !== 0 || second !== 0 || /[1-9]/.test(m[7] ?? '')) return false;
  } else if (hour > 23) {
    return false;
  }
  if (minute > 59 || second > 59) return false;
  if (m[8] !== undefined) {
    const offsetHours = Number(m[9]);
    const offsetMinutes = Number(m[10]);
    if (offsetMinutes > 59 || offsetHours > 14 || (offsetHours === 14 && offsetMinutes !== 0)) return false;
  }
  return true;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const WHITESPACE = /[\t\n\r ]/g;

/**
 * True when `text` is base64 (RFC 4648 §4) as RFC 7643 §2.3.6 requires for binary values. Line
 * breaks and spaces between groups (as in PEM bodies) are tolerated; padding is required.
 */
export function isScimBinary(text: string): boolean {
  return BASE64.test(text.includes(' ') || text.includes('\n') || text.includes('\r') || text.includes('\t') ? text.replace(WHITESPACE, '') : text);
}

/** The format checks by JSON Schema format name: what validators call for `format`. */
export const SCIM_FORMATS: Readonly<Record<string, (text: string) => boolean>> = {
  [DATE_TIME_FORMAT]: isScimDateTime,
  [BINARY_FORMAT]: isScimBinary,
};
