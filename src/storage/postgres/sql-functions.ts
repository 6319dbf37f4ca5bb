import { CASE_IGNORABLE_RANGES, CASED_RANGES, LOWER_EXPANSIONS, LOWER_RUNS } from './case-fold-data.js';
import type { SqlLayout } from './sql-layout.js';

/** Every non-ASCII code point that lower-casing changes, with what it becomes. */
function nonAsciiLowerMap(): Map<number, string> {
  const map = new Map<number, string>();
  for (const [first, count, delta, step] of LOWER_RUNS) {
    for (let i = 0; i < count; i++) {
      const cp = first + i * step;
      if (cp > 0x7f) map.set(cp, String.fromCodePoint(cp + delta));
    }
  }
  for (const [cp, points] of LOWER_EXPANSIONS) map.set(cp, String.fromCodePoint(...points));
  return map;
}

function regexEscape(cp: number): string {
  return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** A PostgreSQL regular expression bracket matching one character of the ranges, written in ASCII. */
function bracket(ranges: readonly (readonly [number, number])[]): string {
  const parts = ranges.map(([a, b]) => (a === b ? regexEscape(a) : `${regexEscape(a)}-${regexEscape(b)}`));
  return `[${parts.join('')}]`;
}

function rangesOf(points: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const cp of [...points].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else out.push([cp, cp]);
  }
  return out;
}

/**
 * `String.prototype.toLowerCase` for text with a non-ASCII character that lower-casing changes:
 * the Final_Sigma rule first (Σ becomes ς after a cased letter, skipping case-ignorable characters,
 * unless a cased letter follows the same way), decided on the original text; then ASCII through
 * `lower` in the C locale and every other character through a jsonb map (a binary search per
 * character, whatever the script).
 */
function foldFullStatement(name: string): string {
  const map: Record<string, string> = {};
  for (const [cp, lower] of nonAsciiLowerMap()) map[String.fromCodePoint(cp)] = lower;
  const cased = bracket(CASED_RANGES);
  const ignorable = bracket(CASE_IGNORABLE_RANGES);
  return `CREATE OR REPLACE FUNCTION ${name}(t text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $scim$
DECLARE
  src text[];
  res text[];
  n integer;
  j integer;
BEGIN
  IF strpos(t, $s$Σ$s$) > 0 THEN
    src := string_to_array(t, NULL);
    res := src;
    n := cardinality(src);
    FOR i IN 1..n LOOP
      CONTINUE WHEN src[i] <> $s$Σ$s$;
      j := i - 1;
      WHILE j >= 1 AND src[j] ~ $r$${ignorable}$r$ LOOP j := j - 1; END LOOP;
      CONTINUE WHEN j < 1 OR src[j] !~ $r$${cased}$r$;
      j := i + 1;
      WHILE j <= n AND src[j] ~ $r$${ignorable}$r$ LOOP j := j + 1; END LOOP;
      CONTINUE WHEN j <= n AND src[j] ~ $r$${cased}$r$;
      res[i] := $s$ς$s$;
    END LOOP;
    t := array_to_string(res, '');
  END IF;
  RETURN coalesce((
    SELECT string_agg(coalesce($m$${JSON.stringify(map)}$m$::jsonb ->> u.c, u.c), '' ORDER BY u.n)
    FROM unnest(string_to_array(lower(t COLLATE "C"), NULL)) WITH ORDINALITY AS u(c, n)
  ), '');
END
$scim$`;
}

/**
 * The fold: text with no non-ASCII character that lower-casing changes goes through the built-in
 * `lower` in the C locale (ASCII only); other text through `foldFull`. A SQL function of one
 * expression, so PostgreSQL inlines it into queries and into index expressions alike.
 */
function foldStatement(name: string, full: string): string {
  const changing = bracket(rangesOf([...nonAsciiLowerMap().keys()]));
  return `CREATE OR REPLACE FUNCTION ${name}(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $scim$SELECT CASE WHEN octet_length(t) = length(t) OR t !~ $r$${changing}$r$ THEN lower(t COLLATE "C") ELSE ${full}(t) END$scim$`;
}

/** `dateTimeKey` of src/query/date-time.ts, statement for statement. */
function dateTimeKeyStatement(name: string): string {
  return `CREATE OR REPLACE FUNCTION ${name}(t text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $scim$
DECLARE
  m text[];
  y bigint; mo bigint; d bigint; h bigint; mi bigint; s bigint;
  frac text;
  off bigint := 0;
  dim bigint; era bigint; yoe bigint; doy bigint; doe bigint; mp bigint; z bigint; secs bigint; rem bigint;
BEGIN
  m := regexp_match(t, '^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:[.]([0-9]+))?([Zz]|[-+][0-9]{2}:[0-9]{2})?$');
  IF m IS NULL THEN RETURN NULL; END IF;
  y := m[1]::bigint; mo := m[2]::bigint; d := m[3]::bigint; h := m[4]::bigint; mi := m[5]::bigint; s := m[6]::bigint;
  frac := rtrim(coalesce(m[7], ''), '0');
  IF mo < 1 OR mo > 12 OR d < 1 OR mi > 59 OR s > 59 OR h > 24 THEN RETURN NULL; END IF;
  dim := CASE WHEN mo = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
              WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END;
  IF d > dim THEN RETURN NULL; END IF;
  IF h = 24 AND (mi <> 0 OR s <> 0 OR frac <> '') THEN RETURN NULL; END IF;
  IF m[8] IS NOT NULL AND upper(m[8]) <> 'Z' THEN
    IF substr(m[8], 2, 2)::bigint > 14 OR substr(m[8], 5, 2)::bigint > 59 THEN RETURN NULL; END IF;
    off := (substr(m[8], 2, 2)::bigint * 60 + substr(m[8], 5, 2)::bigint) * CASE WHEN left(m[8], 1) = '-' THEN -1 ELSE 1 END;
  END IF;
  -- Days since 1970-01-01 of the civil date (proleptic Gregorian), then seconds in UTC.
  IF mo <= 2 THEN y := y - 1; END IF;
  era := (CASE WHEN y >= 0 THEN y ELSE y - 399 END) / 400;
  yoe := y - era * 400;
  doy := (153 * (CASE WHEN mo > 2 THEN mo - 3 ELSE mo + 9 END) + 2) / 5 + d - 1;
  doe := yoe * 365 + yoe / 4 - yoe / 100 + doy;
  secs := (era * 146097 + doe - 719468) * 86400 + h * 3600 + mi * 60 + s - off * 60;
  z := secs / 86400;
  rem := secs % 86400;
  IF rem < 0 THEN z := z - 1; rem := rem + 86400; END IF;
  -- Back to the civil date.
  z := z + 719468;
  era := (CASE WHEN z >= 0 THEN z ELSE z - 146096 END) / 146097;
  doe := z - era * 146097;
  yoe := (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy := doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp := (5 * doy + 2) / 153;
  d := doy - (153 * mp + 2) / 5 + 1;
  mo := CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END;
  y := yoe + era * 400 + CASE WHEN mo <= 2 THEN 1 ELSE 0 END;
  IF y < 0 OR y > 9999 THEN RETURN NULL; END IF;
  RETURN lpad(y::text, 4, '0') || '-' || lpad(mo::text, 2, '0') || '-' || lpad(d::text, 2, '0') || 'T'
    || lpad((rem / 3600)::text, 2, '0') || ':' || lpad((rem / 60 % 60)::text, 2, '0') || ':' || lpad((rem % 60)::text, 2, '0')
    || CASE WHEN frac = '' THEN '' ELSE '.' || frac END;
END
$scim$`;
}

/**
 * The statements creating the SQL functions the compiled filters and sorts call, for a migration:
 * the case fold of `String.prototype.toLowerCase` (generated from case-fold-data.ts, so every server
 * folds the same way whatever its locale or ICU version, and exactly as the in-memory engine does)
 * and `dateTimeKey`. All are `IMMUTABLE`, so indexes may use them (`fold(user_name)`). The database
 * must use the UTF8 encoding.
 *
 * The functions are versioned by name: a change to their results needs new names (and new
 * indexes), never a replacement of existing ones.
 */
export function sqlFunctionStatements(layout: SqlLayout): string[] {
  const { fold, foldFull, dateTimeKey } = layout.functions;
  return [foldFullStatement(foldFull), foldStatement(fold, foldFull), dateTimeKeyStatement(dateTimeKey)];
}
