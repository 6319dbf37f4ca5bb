import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_MAX_CHANGED,
  AUDIT_MAX_STRING,
  AuditTrail,
  callbackAuditSink,
  jsonLinesAuditSink,
  redactAuditEvent,
  type AuditEvent,
  type AuditSink,
} from '../../src/server/audit.js';

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    time: '2025-06-01T12:00:00.000Z',
    tenantId: 'acme',
    clientId: 'entra',
    requestId: 'req-1',
    action: 'patch',
    resourceType: 'User',
    resourceId: '2819c223',
    version: '3',
    outcome: 'success',
    status: 200,
    changed: ['name.givenName', 'active'],
    ...overrides,
  };
}

describe('redactAuditEvent', () => {
  it('keeps an ordinary event as it is', () => {
    const e = event({ reason: 'canDelete' });
    expect(redactAuditEvent(e)).toEqual(e);
  });

  it('omits absent optional fields', () => {
    const minimal: AuditEvent = { time: 't', tenantId: 'a', requestId: 'r', action: 'list', outcome: 'refused', status: 429 };
    const out = redactAuditEvent(minimal);
    expect(out).toEqual(minimal);
    expect(Object.keys(out).sort()).toEqual(['action', 'outcome', 'requestId', 'status', 'tenantId', 'time']);
  });

  it('drops fields that are not part of an audit event', () => {
    const sneaky = { ...event(), body: { password: 'hunter2' }, token: 'abc' } as AuditEvent;
    const out = redactAuditEvent(sneaky);
    expect(out).not.toHaveProperty('body');
    expect(out).not.toHaveProperty('token');
    expect(JSON.stringify(out)).not.toContain('hunter2');
  });

  it('reduces any path naming password to "password"', () => {
    const out = redactAuditEvent(
      event({
        changed: [
          'password',
          'PASSWORD',
          'Password',
          'urn:ietf:params:scim:schemas:core:2.0:User:password',
          'urn:ietf:params:scim:schemas:core:2.0:User:PassWord',
          'urn:example:custom:1.0:Device:password',
        ],
      }),
    );
    expect(out.changed).toEqual(['password']);
  });

  it('removes value filters from paths, since filters hold values', () => {
    const out = redactAuditEvent(
      event({
        changed: [
          'emails[type eq "work"].value',
          'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
          'addresses[type eq "a]b" and primary eq true].locality',
          'emails[value eq "x\\"y"].primary',
        ],
      }),
    );
    expect(out.changed).toEqual(['emails.value', 'members', 'addresses.locality', 'emails.primary']);
    expect(JSON.stringify(out)).not.toContain('2819c223-7f76');
  });

  it('replaces entries that are not attribute paths', () => {
    const out = redactAuditEvent(
      event({
        changed: ['name.givenName', 'hunter2 is my password', 'emails[type eq "work"', 'x]', '', 'a b', 'Bearer abc.def'],
      }),
    );
    expect(out.changed).toEqual(['name.givenName', '[redacted]']);
  });

  it('keeps extension paths and $ref', () => {
    const paths = ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value', 'members.$ref', 'meta.lastModified'];
    expect(redactAuditEvent(event({ changed: paths })).changed).toEqual(paths);
  });

  it('drops duplicate paths and caps the number kept', () => {
    const many = Array.from({ length: AUDIT_MAX_CHANGED + 50 }, (_, i) => `attr${i}`);
    const out = redactAuditEvent(event({ changed: ['active', 'active', ...many] }));
    expect(out.changed?.[0]).toBe('active');
    expect(out.changed).toHaveLength(AUDIT_MAX_CHANGED);
    expect(new Set(out.changed).size).toBe(out.changed?.length);
  });

  it('removes bearer and basic credentials from every string field', () => {
    const token = 'tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
    const out = redactAuditEvent(event({ reason: `Authorization: Bearer ${token}`, requestId: `x Bearer ${token}`, clientId: `basic ${btoa('user:pass')}` }));
    const json = JSON.stringify(out);
    expect(json).not.toContain(token);
    expect(json).not.toContain(btoa('user:pass'));
    expect(out.reason).toBe('Authorization: Bearer [redacted]');
    expect(out.clientId).toBe('basic [redacted]');
  });

  it('removes JSON Web Tokens', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const out = redactAuditEvent(event({ reason: `token was ${jwt} here`, resourceId: jwt }));
    expect(JSON.stringify(out)).not.toContain('dozjgNryP4J3jVmNHl0w5N');
    expect(out.reason).toBe('token was [redacted] here');
  });

  it('removes values written as name=value or name: value for secret-like names', () => {
    const out = redactAuditEvent(event({ reason: 'invalidValue: password=hunter2, secret: "s3 cr3t"; apiKey=k-123 token=abc' }));
    expect(out.reason).toBe('invalidValue: password=[redacted], secret: [redacted]; apiKey=[redacted] token=[redacted]');
    for (const leaked of ['hunter2', 's3 cr3t', 'k-123', 'abc']) expect(out.reason).not.toContain(leaked);
  });

  it('truncates long strings to the maximum length', () => {
    const out = redactAuditEvent(event({ resourceId: 'x'.repeat(5000), reason: 'y'.repeat(AUDIT_MAX_STRING) }));
    expect(out.resourceId).toHaveLength(AUDIT_MAX_STRING);
    expect(out.resourceId?.endsWith('…')).toBe(true);
    expect(out.reason).toBe('y'.repeat(AUDIT_MAX_STRING)); // exactly at the limit: unchanged
  });

  it('does not split a surrogate pair when truncating', () => {
    const out = redactAuditEvent(event({ resourceId: '😀'.repeat(400) }));
    expect(out.resourceId?.length).toBeLessThanOrEqual(AUDIT_MAX_STRING);
    expect(out.resourceId).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('replaces control characters, so a text log cannot be forged', () => {
    const out = redactAuditEvent(event({ requestId: 'r1\n{"tenantId":"other"}\r\u0000' }));
    expect(out.requestId).toBe('r1 {"tenantId":"other"}  ');
  });

  it('normalises an unknown outcome and a bad status', () => {
    const out = redactAuditEvent(event({ outcome: 'weird' as never, status: Number.NaN }));
    expect(out.outcome).toBe('failed');
    expect(out.status).toBe(0);
  });

  it('does not modify its input', () => {
    const input = event({ changed: ['PASSWORD'], reason: 'Bearer abc' });
    const copy = structuredClone(input);
    redactAuditEvent(input);
    expect(input).toEqual(copy);
  });

  it('is idempotent and never lets a secret through (property)', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,30}$/);
    fc.assert(
      fc.property(secret, fc.string({ maxLength: 40 }), fc.constantFrom('Bearer ', 'bearer  ', 'password=', 'token: ', 'Basic '), (value, noise, lead) => {
        const e = event({ reason: `${noise} ${lead}${value}`, changed: [`${noise}`, 'password', `urn:x:User:password`] });
        const once = redactAuditEvent(e);
        expect(redactAuditEvent(once)).toEqual(once);
        expect(once.reason?.includes(value)).toBe(false);
        for (const field of Object.values(once)) {
          if (typeof field === 'string') expect(field.length).toBeLessThanOrEqual(AUDIT_MAX_STRING);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** The scrubbing rules of a string field, applied in full: what redaction must give for any text. */
function scrubbed(text: string): string {
  let out = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  out = out.replace(/\b(bearer|basic)(\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1$2[redacted]');
  out = out.replace(/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted]');
  out = out.replace(/\b(password|passwd|secret|token|api[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;]+)/gi, '$1$2[redacted]');
  return out.length <= AUDIT_MAX_STRING ? out : `${out.slice(0, AUDIT_MAX_STRING - 1)}…`;
}

describe('redactAuditEvent on plain ids, times and versions', () => {
  it('scrubs every string field exactly as the full rules do (property)', () => {
    const piece = fc.constantFrom(
      'password',
      'PassWd',
      'secret',
      'TOKEN',
      'api_key',
      'apiKey',
      'eyJ',
      'Bearer',
      'basic',
      ' ',
      ':',
      '=',
      '.',
      '-',
      '/',
      '"',
      "'",
      '\n',
      'a',
      'Z',
      '7',
      'W/"3"',
      'é',
    );
    const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const out = redactAuditEvent(event({ resourceId: a, requestId: b, version: `${a}${b}` }));
        expect(out.resourceId).toBe(scrubbed(a));
        expect(out.requestId).toBe(scrubbed(b));
        expect(out.version).toBe(scrubbed(`${a}${b}`));
      }),
      { numRuns: 1000 },
    );
    expect(redactAuditEvent(event({ resourceId: 'password:hunter2', requestId: 'eyJa.eyJb.c' })).resourceId).toBe('password:[redacted]');
  });
});

describe('callbackAuditSink', () => {
  it('passes each event to the function', async () => {
    const seen: AuditEvent[] = [];
    const sink = callbackAuditSink((e) => {
      seen.push(e);
    });
    await sink.emit(event());
    expect(seen).toEqual([event()]);
  });
});

describe('jsonLinesAuditSink', () => {
  it('writes one redacted JSON object per line', () => {
    const chunks: string[] = [];
    const sink = jsonLinesAuditSink({ write: (c: string) => chunks.push(c) });
    sink.emit(event({ action: 'create', changed: ['userName', 'password'] }));
    const { changed: _changed, ...refused } = event({ action: 'delete', outcome: 'refused', status: 403, reason: 'canDelete' });
    sink.emit(refused);
    sink.emit(event({ reason: 'Bearer sekrit-token-value' }));
    const text = chunks.join('');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const parsed = lines.map((l) => JSON.parse(l) as AuditEvent);
    expect(parsed[0]).toMatchObject({ action: 'create', changed: ['userName', 'password'] });
    expect(parsed[1]).toMatchObject({ action: 'delete', outcome: 'refused', status: 403, reason: 'canDelete' });
    expect(parsed[1]).not.toHaveProperty('changed');
    expect(text).not.toContain('sekrit-token-value');
  });

  it('keeps one line per event even when values contain newlines', () => {
    const chunks: string[] = [];
    const sink = jsonLinesAuditSink({ write: (c: string) => chunks.push(c) });
    sink.emit(event({ resourceId: 'a\nb' }));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.split('\n')).toEqual([expect.any(String), '']);
  });

  it('returns the promise of an asynchronous writer', async () => {
    let resolveWrite: () => void = () => undefined;
    const written = new Promise<void>((r) => {
      resolveWrite = r;
    });
    const sink = jsonLinesAuditSink({ write: () => written });
    let done = false;
    const result = Promise.resolve(sink.emit(event())).then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    resolveWrite();
    await result;
    expect(done).toBe(true);
  });
});

describe('AuditTrail', () => {
  it('fans every event out to every sink, redacted', async () => {
    const a: AuditEvent[] = [];
    const b: AuditEvent[] = [];
    const trail = new AuditTrail([callbackAuditSink((e) => void a.push(e)), callbackAuditSink((e) => void b.push(e))]);
    await trail.emit(event({ changed: ['urn:ietf:params:scim:schemas:core:2.0:User:Password'], reason: 'Bearer xyz123' }));
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a[0]!.changed).toEqual(['password']);
    expect(a[0]!.reason).toBe('Bearer [redacted]');
    expect(b[0]).toEqual(a[0]);
  });

  it('gives sinks a frozen event so one cannot alter what another sees', async () => {
    const seen: AuditEvent[] = [];
    const mutator: AuditSink = {
      emit(e) {
        try {
          (e as { tenantId: string }).tenantId = 'other';
        } catch {
          // frozen: strict-mode assignment throws
        }
        try {
          e.changed?.push('injected');
        } catch {
          // frozen array
        }
      },
    };
    const trail = new AuditTrail([mutator, callbackAuditSink((e) => void seen.push(e))]);
    await trail.emit(event());
    expect(seen[0]!.tenantId).toBe('acme');
    expect(seen[0]!.changed).toEqual(['name.givenName', 'active']);
  });

  it('never throws or rejects when sinks fail, reports each failure, and still reaches the others', async () => {
    const errors: Array<{ error: unknown; event: AuditEvent; sink: AuditSink }> = [];
    const seen: AuditEvent[] = [];
    const throwing: AuditSink = {
      emit() {
        throw new Error('sync boom');
      },
    };
    const rejecting: AuditSink = { emit: () => Promise.reject(new Error('async boom')) };
    const trail = new AuditTrail([throwing, rejecting, callbackAuditSink((e) => void seen.push(e))], {
      onError: (error, ev, sink) => errors.push({ error, event: ev, sink }),
    });
    await expect(trail.emit(event())).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(errors.map((e) => (e.error as Error).message).sort()).toEqual(['async boom', 'sync boom']);
    expect(errors.find((e) => (e.error as Error).message === 'sync boom')?.sink).toBe(throwing);
    expect(errors[0]!.event.requestId).toBe('req-1');
  });

  it('swallows a failing error handler and works without one', async () => {
    const failing: AuditSink = {
      emit() {
        throw new Error('boom');
      },
    };
    const noHandler = new AuditTrail([failing]);
    await expect(noHandler.emit(event())).resolves.toBeUndefined();
    const badHandler = new AuditTrail([failing], {
      onError: () => {
        throw new Error('handler boom');
      },
    });
    await expect(badHandler.emit(event())).resolves.toBeUndefined();
  });

  it('does not throw on an event whose fields cannot be read', async () => {
    const hostile = {
      ...event(),
      get reason(): string {
        throw new Error('getter boom');
      },
    } as AuditEvent;
    const seen: AuditEvent[] = [];
    const trail = new AuditTrail([callbackAuditSink((e) => void seen.push(e))]);
    await expect(trail.emit(hostile)).resolves.toBeUndefined();
    expect(seen).toHaveLength(0);
  });

  it('waits for asynchronous sinks', async () => {
    let finished = false;
    const slow = callbackAuditSink(async () => {
      await new Promise((r) => setTimeout(r, 5));
      finished = true;
    });
    await new AuditTrail([slow]).emit(event());
    expect(finished).toBe(true);
  });

  it('adds and removes sinks at runtime', async () => {
    const seen: string[] = [];
    const trail = new AuditTrail();
    expect(trail.size).toBe(0);
    const remove = trail.add(callbackAuditSink((e) => void seen.push(e.action)));
    expect(trail.size).toBe(1);
    await trail.emit(event({ action: 'create' }));
    remove();
    remove();
    expect(trail.size).toBe(0);
    await trail.emit(event({ action: 'delete' }));
    expect(seen).toEqual(['create']);
  });

  it('can itself be a sink of another trail', async () => {
    const seen: AuditEvent[] = [];
    const inner = new AuditTrail([callbackAuditSink((e) => void seen.push(e))]);
    const outer = new AuditTrail([inner]);
    await outer.emit(event({ action: 'members', changed: ['members'] }));
    expect(seen).toEqual([expect.objectContaining({ action: 'members', changed: ['members'] })]);
  });
});
