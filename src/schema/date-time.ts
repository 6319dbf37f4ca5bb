const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Milliseconds in 400 Gregorian years (146,097 days): shifting by it keeps the calendar identical. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const c = text.charCodeAt(at + i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Turns an `xsd:dateTime` (RFC 7643 §2.3.5) into a key whose string order is chronological order:
 * the instant in UTC as `YYYY-MM-DDTHH:MM:SS[.fraction]`, with the fraction's trailing zeros removed.
 *
 * Accepts fractional seconds of any length and `Z`, `±HH:MM` or no offset (read as UTC). Two texts
 * denote the same instant exactly when their keys are equal, including below a millisecond.
 *
 * @param text - The dateTime text.
 * @returns The key, or undefined when the text is not a valid dateTime or falls outside years 0000-9999 in UTC.
 */
export function dateTimeKey(text: string): string | undefined {
  const n = text.length;
  if (n < 19) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || minute < 0 || second < 0) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const t = text.charCodeAt(10);
  if (t !== 84 && t !== 116) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (monthDays === undefined || day > monthDays || minute > 59 || second > 59 || hour > 24) return undefined;

  let i = 19;
  let fraction = '';
  if (i < n && text.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
    if (i === start) return undefined;
    let end = i;
    while (end > start && text.charCodeAt(end - 1) === 48) end--;
    fraction = text.slice(start, end);
  }
  // xsd:dateTime allows 24:00:00 (with a zero fraction) for the end of a day.
  if (hour === 24 && (minute !== 0 || second !== 0 || fraction !== '')) return undefined;

  let offsetMinutes = 0;
  if (i < n) {
    const c = text.charCodeAt(i);
    if ((c === 90 || c === 122) && i + 1 === n) {
      i++;
    } else if ((c === 43 || c === 45) && i + 6 === n && text.charCodeAt(i + 3) === 58) {
      const oh = digits(text, i + 1, 2);
      const om = digits(text, i + 4, 2);
      if (oh < 0 || om < 0 || oh > 14 || om > 59) return undefined;
      offsetMinutes = (c === 45 ? -1 : 1) * (oh * 60 + om);
      i += 6;
    } else {
      return undefined;
    }
  }

  // Date.UTC reads years 0-99 as 1900-1999; compute four centuries later and shift back.
  const ms = Date.UTC(year + 400, month - 1, day, hour, minute, second) - FOUR_CENTURIES_MS - offsetMinutes * 60_000;
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (!(y >= 0 && y <= 9999)) return undefined;
  const base =
    `${pad(y, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return fraction ? `${base}.${fraction}` : base;
}

/**
 * A bounded memo of {@link dateTimeKey} for the values of records: stored resources repeat the same
 * timestamps rarely, but a filter evaluated over many records pays the parse once per distinct text.
 */
export class DateTimeKeyCache {
  private readonly map = new Map<string, string | null>();
  private readonly capacity: number;

  /** @param capacity - Most entries kept; the memo is emptied when it fills. */
  constructor(capacity = 4096) {
    this.capacity = capacity;
  }

  /** The key of `text`, or undefined when it is not a valid dateTime. */
  get(text: string): string | undefined {
    let key = this.map.get(text);
    if (key === undefined) {
      key = dateTimeKey(text) ?? null;
      if (this.map.size >= this.capacity) this.map.clear();
      this.map.set(text, key);
    }
    return key ?? undefined;
  }
}
