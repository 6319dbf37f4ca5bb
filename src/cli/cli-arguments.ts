/** A command line split into its words and its `--name value` options. */
export interface CliArguments {
  /** The words that are not options, in order: `tenants`, `add`, `acme`. */
  readonly words: readonly string[];
  /** Options by name (without `--`); a flag without a value is `'true'`. */
  readonly options: ReadonlyMap<string, string>;
}

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Splits `argv`. `--name value` and `--name=value` take a value when `name` is in `valued`; other
 * options are flags. An option given twice, or one not in `valued` or `flags`, is a {@link UsageError}.
 */
export function parseArguments(argv: readonly string[], valued: ReadonlySet<string>, flags: ReadonlySet<string>): CliArguments {
  const words: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    if (valued.has(name)) {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
      }
    } else if (flags.has(name)) {
      if (value !== undefined) throw new UsageError(`--${name} takes no value`);
      value = 'true';
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
    if (options.has(name)) throw new UsageError(`--${name} is given twice`);
    options.set(name, value);
  }
  return { words, options };
}

/** The JSON value of an option (`--permissions '{"maxUsers":10}'`), or a {@link UsageError} naming it. */
export function jsonOption(options: ReadonlyMap<string, string>, name: string): unknown {
  const text = options.get(name);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--${name} must be JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A number of seconds given as `90`, `90s`, `15m`, `12h` or `7d`, or a {@link UsageError} naming the option. */
export function durationOption(options: ReadonlyMap<string, string>, name: string): number | undefined {
  const text = options.get(name);
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--${name} must be a duration such as 3600, 90s, 15m, 12h or 7d, not ${JSON.stringify(text)}`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
