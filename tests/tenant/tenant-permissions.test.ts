import { describe, expect, it } from 'vitest';
import { checkOperation, isExpired, quotaFor, quotaName, type TenantOperation, type TenantPermissions } from '../../src/tenant/tenant-permissions.js';

const ALL: TenantOperation[] = ['create', 'read', 'replace', 'patch', 'delete', 'list', 'bulk'];
const NOW = new Date('2025-06-01T12:00:00Z');

describe('checkOperation', () => {
  it('allows everything when nothing is set', () => {
    for (const op of ALL) expect(checkOperation({}, op, NOW), op).toBeNull();
  });

  it('refuses an operation whose flag is false, naming the flag', () => {
    const cases: Array<[TenantOperation, keyof TenantPermissions]> = [
      ['create', 'canCreate'],
      ['read', 'canRead'],
      ['replace', 'canReplace'],
      ['patch', 'canPatch'],
      ['delete', 'canDelete'],
      ['list', 'canList'],
      ['bulk', 'canBulk'],
    ];
    for (const [op, flag] of cases) {
      const refusal = checkOperation({ [flag]: false }, op, NOW);
      expect(refusal?.permission, op).toBe(flag);
      expect(refusal?.detail).toContain(flag);
      // other operations are unaffected
      for (const other of ALL.filter((o) => o !== op)) expect(checkOperation({ [flag]: false }, other, NOW), `${flag}/${other}`).toBeNull();
    }
  });

  it('canUpdate governs replace and patch unless they are set themselves', () => {
    expect(checkOperation({ canUpdate: false }, 'replace', NOW)?.permission).toBe('canUpdate');
    expect(checkOperation({ canUpdate: false }, 'patch', NOW)?.permission).toBe('canUpdate');
    expect(checkOperation({ canUpdate: false }, 'create', NOW)).toBeNull();
    expect(checkOperation({ canUpdate: false, canPatch: true }, 'patch', NOW)).toBeNull();
    expect(checkOperation({ canUpdate: false, canPatch: true }, 'replace', NOW)?.permission).toBe('canUpdate');
    expect(checkOperation({ canUpdate: true, canReplace: false }, 'replace', NOW)?.permission).toBe('canReplace');
    expect(checkOperation({ canUpdate: true, canReplace: false }, 'patch', NOW)).toBeNull();
  });

  it('readOnly refuses every write and allows reads', () => {
    for (const op of ['create', 'replace', 'patch', 'delete', 'bulk'] as const) {
      expect(checkOperation({ readOnly: true }, op, NOW)?.permission, op).toBe('readOnly');
    }
    expect(checkOperation({ readOnly: true }, 'read', NOW)).toBeNull();
    expect(checkOperation({ readOnly: true }, 'list', NOW)).toBeNull();
    // readOnly wins over an explicit write flag
    expect(checkOperation({ readOnly: true, canCreate: true }, 'create', NOW)?.permission).toBe('readOnly');
  });

  it('an expired tenant is refused everything, expiry first', () => {
    const expired: TenantPermissions = { expiresAt: '2025-05-31T00:00:00Z', canRead: false };
    for (const op of ALL) expect(checkOperation(expired, op, NOW)?.permission, op).toBe('expiresAt');
    expect(checkOperation({ expiresAt: new Date('2025-07-01T00:00:00Z') }, 'read', NOW)).toBeNull();
  });
});

describe('isExpired', () => {
  it('is false without expiresAt', () => {
    expect(isExpired({}, NOW)).toBe(false);
  });

  it('compares Date and string instants, expiring at the instant itself', () => {
    expect(isExpired({ expiresAt: new Date(NOW.getTime() + 1) }, NOW)).toBe(false);
    expect(isExpired({ expiresAt: new Date(NOW.getTime()) }, NOW)).toBe(true);
    expect(isExpired({ expiresAt: new Date(NOW.getTime() - 1) }, NOW)).toBe(true);
    expect(isExpired({ expiresAt: '2025-06-01T12:00:00.001Z' }, NOW)).toBe(false);
    expect(isExpired({ expiresAt: '2025-06-01T11:59:59.999Z' }, NOW)).toBe(true);
  });

  it('treats an unreadable expiry as expired', () => {
    expect(isExpired({ expiresAt: 'not a date' }, NOW)).toBe(true);
    expect(isExpired({ expiresAt: new Date('nope') }, NOW)).toBe(true);
  });

  it('uses the current time by default', () => {
    expect(isExpired({ expiresAt: new Date(Date.now() + 60_000) })).toBe(false);
    expect(isExpired({ expiresAt: new Date(Date.now() - 60_000) })).toBe(true);
  });
});

describe('quotaFor and quotaName', () => {
  it('has no quota when nothing is set', () => {
    expect(quotaFor({}, 'User')).toBeUndefined();
    expect(quotaFor({}, 'Group')).toBeUndefined();
    expect(quotaFor({}, 'Device')).toBeUndefined();
  });

  it('reads maxUsers and maxGroups', () => {
    const p: TenantPermissions = { maxUsers: 10, maxGroups: 3 };
    expect(quotaFor(p, 'User')).toBe(10);
    expect(quotaFor(p, 'Group')).toBe(3);
    expect(quotaName(p, 'User')).toBe('maxUsers');
    expect(quotaName(p, 'Group')).toBe('maxGroups');
    expect(quotaFor(p, 'Device')).toBeUndefined();
  });

  it('lets quotas override maxUsers/maxGroups and cover other types', () => {
    const p: TenantPermissions = { maxUsers: 10, quotas: { User: 2, Device: 50 } };
    expect(quotaFor(p, 'User')).toBe(2);
    expect(quotaName(p, 'User')).toBe('quotas.User');
    expect(quotaFor(p, 'Device')).toBe(50);
    expect(quotaName(p, 'Device')).toBe('quotas.Device');
    expect(quotaFor({ quotas: { User: 0 } }, 'User')).toBe(0);
  });

  it('names a quota for a type without one', () => {
    expect(quotaName({}, 'Device')).toBe('quotas.Device');
  });

  it('does not read inherited properties as quotas', () => {
    const p: TenantPermissions = { quotas: {} };
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(quotaFor(p, name), name).toBeUndefined();
      expect(quotaName(p, name)).toBe(`quotas.${name}`);
    }
  });
});
