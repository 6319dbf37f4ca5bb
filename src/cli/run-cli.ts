import { LATEST_VERSION } from '../storage/postgres/migrations.js';
import { migrate, schemaVersion } from '../storage/postgres/migrate.js';
import { connectPostgres } from '../storage/postgres/pg-pool-client.js';
import { PostgresTenantRegistry } from '../storage/postgres/postgres-tenant-registry.js';
import type { SqlClient } from '../storage/postgres/sql-client.js';
import { ConfigurationError } from '../tenant/configuration-error.js';
import { parseArguments, UsageError } from './cli-arguments.js';
import { type CliOutput, runTenantsCommand, TENANTS_COMMANDS } from './tenants-command.js';

/** The text `scim-server` prints for `--help` and with every usage error. */
export const USAGE = `Usage: scim-server <command> [options]

Manages the tenant registry of a scim-server deployment in the PostgreSQL database named by
the DATABASE_URL environment variable.

Commands:
  migrate                          create or upgrade the tables (the storage's migrate())
  tenants list [--json]            list tenants, their status and their valid tokens' labels
  tenants add <id>                 add a tenant and print its first token (once)
      [--isolation shared|standard|strict] [--client-id <id>] [--label <label>]
      [--permissions '<json>'] [--settings '<json>']
  tenants rotate <id>              print a new token (once); earlier tokens stay valid
      [--overlap <duration>] [--label <label>]   for the overlap (default 1d; 0 ends them now)
  tenants revoke <id> <label>      revoke one token
  tenants suspend <id>             refuse the tenant's requests (403) until resumed
  tenants resume <id>              end a suspension
  tenants remove <id>              remove the tenant and its tokens (its resources stay)

Options:
  --schema <name>                  the storage's schema prefix (default scim)
  --help                           print this text

Exit codes: 0 done, 1 refused or failed (the reason on standard error), 2 usage.`;

const VALUED = new Set(['isolation', 'client-id', 'label', 'permissions', 'settings', 'overlap', 'schema']);
const FLAGS = new Set(['json', 'help']);

/** What the command line needs from its surroundings; tests give their own. */
export interface CliEnvironment extends CliOutput {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Opens the database; by default {@link connectPostgres} with one connection. */
  connect?(url: string): Promise<SqlClient>;
}

async function withDatabase<T>(environment: CliEnvironment, work: (client: SqlClient) => Promise<T>): Promise<T> {
  const url = environment.env.DATABASE_URL;
  if (!url) throw new UsageError('DATABASE_URL is not set: give the PostgreSQL connection string of the deployment');
  const client = await (environment.connect ?? ((u: string) => connectPostgres(u, { max: 1, applicationName: 'scim-server-cli' })))(url);
  try {
    return await work(client);
  } finally {
    await client.close?.();
  }
}

/**
 * Runs `scim-server` with `argv` (the arguments after the command's name) and returns the exit
 * code: 0 done, 1 refused or failed, 2 a usage mistake (printed with the usage).
 */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  try {
    const args = parseArguments(argv, VALUED, FLAGS);
    if (args.options.has('help')) {
      environment.out(USAGE);
      return 0;
    }
    const schema = args.options.get('schema');
    const names = schema === undefined ? {} : { schema };
    const [command] = args.words;
    if (command === 'migrate') {
      const report = await withDatabase(environment, (client) => migrate(client, names));
      environment.err(`Database at schema version ${report.to}; applied ${report.applied.length > 0 ? report.applied.join(', ') : 'nothing'}.`);
      return 0;
    }
    if (command !== 'tenants') throw new UsageError(command === undefined ? 'a command is needed' : `unknown command ${command}`);
    const sub = args.words[1];
    if (sub === undefined || !TENANTS_COMMANDS.has(sub)) throw new UsageError(sub === undefined ? 'tenants needs a command' : `unknown command tenants ${sub}`);
    await withDatabase(environment, async (client) => {
      const version = await schemaVersion(client, names);
      if (version < LATEST_VERSION) {
        throw new ConfigurationError(
          'DATABASE_URL',
          `names a database at schema version ${version}, the registry needs ${LATEST_VERSION}: run scim-server migrate`,
        );
      }
      await runTenantsCommand(new PostgresTenantRegistry(client, names), args, environment);
    });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      environment.err(`scim-server: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    environment.err(`scim-server: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
