import type { TenantDefinition } from '../src/index.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The three customer organisations of the examples.
 *
 * - Enterprise Customer A: strict isolation (a store of its own), high limits, every operation.
 * - Startup Customer B: standard isolation, low quotas, no delete.
 * - Trial Customer C: shared isolation, minimal access (read, list, create), a request-rate limit,
 *   a trial that ends.
 */
export function demoTenants(now: Date = new Date()): TenantDefinition[] {
  return [
    {
      id: 'enterprise-a',
      token: 'demo-token-enterprise-a',
      isolationLevel: 'strict',
      permissions: { maxUsers: 10_000, maxGroups: 1_000 },
    },
    {
      id: 'startup-b',
      token: 'demo-token-startup-b',
      isolationLevel: 'standard',
      permissions: { maxUsers: 3, maxGroups: 2, canDelete: false },
    },
    {
      id: 'trial-c',
      token: 'demo-token-trial-c',
      isolationLevel: 'shared',
      permissions: {
        maxUsers: 2,
        maxGroups: 0,
        canUpdate: false,
        canDelete: false,
        rateLimit: { requestsPerSecond: 1, burst: 10 },
        expiresAt: new Date(now.getTime() + 14 * DAY).toISOString(),
      },
    },
  ];
}
