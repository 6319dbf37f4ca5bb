import { afterEach, describe, expect, it, vi } from 'vitest';
import { WriteClock } from '../../../src/storage/memory/write-clock.js';

describe('WriteClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives the current time as an ISO string, shared within a millisecond', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-02T03:04:05.006Z'));
    const clock = new WriteClock();
    const a = clock.now();
    expect(a).toBe('2025-01-02T03:04:05.006Z');
    expect(clock.now()).toBe(a);
    vi.setSystemTime(new Date('2025-01-02T03:04:05.007Z'));
    expect(clock.now()).toBe('2025-01-02T03:04:05.007Z');
  });
});
