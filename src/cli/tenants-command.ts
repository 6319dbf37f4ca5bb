import type { IsolationLevel } from '../tenant/isolation-level.js';
import type { TenantPermissions } from '../tenant/tenant-permissions.js';
import type { TenantSettings } from '../tenant/tenant-settings.js';
import type { PostgresTenantRegistry } from '../storage/postgres/postgres-tenant-registry.js';
import type { RegistryTenant } from '../storage/postgres/registry-snapshot.js';
import { type CliArguments, durationOption, jsonOption, UsageError } from './cli-arguments.js';

/** Where a command writes: the token (and listings) to `out`, everything said to a person to `err`. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The commands of `tenants`. */
export const TENANTS_COMMANDS: ReadonlySet<string> = new Set(['list', 'add', 'rotate', 'revoke', 'suspend', 'resume', 'remove']);

/** One line of `tenants list`. */
function row(t: RegistryTenant, now: number): string {
  const valid = t.tokens.filter((k) => k.validUntil === undefined || k.validUntil.getTime() > now);
  const status = t.suspendedAt ? `suspended since ${t.suspendedAt.toISOString()}` : 'active';
  const tokens = valid.map((k) => (k.validUntil ? `${k.label} (until ${k.validUntil.toISOString()})` : k.label)).join(', ');
  return [t.id, t.isolationLevel, status, tokens || '(no valid token)'].join('\t');
}

function idOf(args: CliArguments, command: string): string {
  const id = args.words[2];
  if (id === undefined) throw new UsageError(`tenants ${command} needs a tenant id`);
  if (args.words.length > (command === 'revoke' ? 4 : 3)) throw new UsageError(`tenants ${command}: unexpected ${JSON.stringify(args.words.at(-1))}`);
  return id;
}

function labelOf(args: CliArguments): { label?: string } {
  const label = args.options.get('label');
  return label === undefined ? {} : { label };
}

/**
 * Runs `tenants <command>` against the registry. A new token is written to `out` alone (so that
 * `TOKEN=$(scim-server tenants add acme)` captures it), once; what happened is written to `err`.
 */
export async function runTenantsCommand(registry: PostgresTenantRegistry, args: CliArguments, io: CliOutput): Promise<void> {
  const command = args.words[1];
  switch (command) {
    case 'list': {
      const tenants = await registry.listTenants();
      if (args.options.has('json')) io.out(JSON.stringify(tenants, null, 2));
      else for (const t of tenants) io.out(row(t, Date.now()));
      io.err(`${tenants.length} tenant${tenants.length === 1 ? '' : 's'}`);
      return;
    }
    case 'add': {
      const id = idOf(args, command);
      const isolationLevel = args.options.get('isolation') as IsolationLevel | undefined;
      const clientId = args.options.get('client-id');
      const permissions = jsonOption(args.options, 'permissions') as TenantPermissions | undefined;
      const settings = jsonOption(args.options, 'settings') as TenantSettings | undefined;
      const issued = await registry.addTenant(
        {
          id,
          ...(isolationLevel !== undefined ? { isolationLevel } : {}),
          ...(clientId !== undefined ? { clientId } : {}),
          ...(permissions !== undefined ? { permissions } : {}),
          ...(settings !== undefined ? { settings } : {}),
        },
        labelOf(args),
      );
      io.err(`Added tenant ${id}. Its token ${issued.label} is printed once, on standard output; store it now.`);
      io.out(issued.token);
      return;
    }
    case 'rotate': {
      const id = idOf(args, command);
      const overlapSeconds = durationOption(args.options, 'overlap');
      const rotated = await registry.rotateToken(id, { ...labelOf(args), ...(overlapSeconds !== undefined ? { overlapSeconds } : {}) });
      const previous = rotated.previousLabels.length > 0 ? rotated.previousLabels.join(', ') : 'none';
      io.err(
        `New token ${rotated.label} for ${id}, printed once on standard output. Earlier tokens (${previous}) valid until ${rotated.previousValidUntil.toISOString()}.`,
      );
      io.out(rotated.token);
      return;
    }
    case 'revoke': {
      const id = idOf(args, command);
      const label = args.words[3];
      if (label === undefined) throw new UsageError('tenants revoke needs a tenant id and a token label');
      if (!(await registry.revokeToken(id, label))) throw new Error(`tenant ${id} has no token ${label}`);
      io.err(`Revoked token ${label} of ${id}.`);
      return;
    }
    case 'suspend':
    case 'resume': {
      const id = idOf(args, command);
      await (command === 'suspend' ? registry.suspendTenant(id) : registry.resumeTenant(id));
      io.err(command === 'suspend' ? `Suspended ${id}: its requests are refused (403) until resumed.` : `Resumed ${id}.`);
      return;
    }
    case 'remove': {
      const id = idOf(args, command);
      if (!(await registry.removeTenant(id))) throw new Error(`the registry has no tenant ${id}`);
      io.err(`Removed ${id} and its tokens from the registry (its resources stay in the storage).`);
      return;
    }
    default:
      throw new UsageError(command === undefined ? 'tenants needs a command' : `unknown command tenants ${command}`);
  }
}
