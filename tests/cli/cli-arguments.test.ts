import { describe, expect, it } from 'vitest';
import { durationOption, jsonOption, parseArguments, UsageError } from '../../src/cli/cli-arguments.js';

const VALUED = new Set(['overlap', 'label', 'permissions']);
const FLAGS = new Set(['json']);

describe('the command line of scim-server', () => {
  it('splits words and options, with a value after the name or after =', () => {
    const args = parseArguments(['tenants', 'rotate', 'acme', '--overlap', '12h', '--label=entra', '--json'], VALUED, FLAGS);
    expect(args.words).toEqual(['tenants', 'rotate', 'acme']);
    expect(Object.fromEntries(args.options)).toEqual({ overlap: '12h', label: 'entra', json: 'true' });
  });

  it('refuses unknown options, missing values, values on flags and options given twice', () => {
    for (const argv of [['--overlap'], ['--lable', 'x'], ['--json=yes'], ['--label', 'a', '--label', 'b']]) {
      expect(() => parseArguments(argv, VALUED, FLAGS)).toThrow(UsageError);
    }
  });

  it('reads durations in seconds, minutes, hours and days, and JSON options, naming the option when it cannot', () => {
    const of = (overlap: string) => durationOption(new Map([['overlap', overlap]]), 'overlap');
    expect([of('0'), of('90'), of('90s'), of('15m'), of('12h'), of('1d')]).toEqual([0, 90, 90, 900, 43_200, 86_400]);
    expect(() => of('soon')).toThrow('--overlap must be a duration');
    expect(durationOption(new Map(), 'overlap')).toBeUndefined();
    expect(jsonOption(new Map([['permissions', '{"maxUsers":3}']]), 'permissions')).toEqual({ maxUsers: 3 });
    expect(() => jsonOption(new Map([['permissions', '{maxUsers:3}']]), 'permissions')).toThrow('--permissions must be JSON');
  });
});
