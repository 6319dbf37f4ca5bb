#!/usr/bin/env node
/**
 * The `scim-server` command (`npx scim-server tenants ...`): the tenant registry's management
 * command line. See {@link runCli} and `scim-server --help`.
 *
 * @module
 */
import { runCli } from './run-cli.js';

void runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then((code) => {
  process.exitCode = code;
});
