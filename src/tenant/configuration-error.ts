/**
 * A configuration mistake, found when the configuration is given: an unknown key, a value of the
 * wrong type or range, or a contradiction. The message names the tenant (when the mistake is in one
 * tenant's configuration), the key and what was expected. A `TypeError`, so code that caught the
 * library's earlier configuration errors still catches it.
 */
export class ConfigurationError extends TypeError {
  /** The key at fault, as a path from the configuration object given: `permissions.canDelete`, `maxPageSize`. */
  readonly key: string;
  /** The tenant whose configuration it is, when it is one tenant's. */
  readonly tenantId: string | undefined;

  /**
   * @param key - the key at fault.
   * @param problem - what is wrong, as the rest of a sentence starting with the key: `must be true or false, not "false"`.
   * @param tenantId - the tenant, when the mistake is in one tenant's configuration.
   */
  constructor(key: string, problem: string, tenantId?: string) {
    super(`${tenantId !== undefined ? `tenant ${JSON.stringify(tenantId)}: ` : ''}${key} ${problem}`);
    this.name = 'ConfigurationError';
    this.key = key;
    this.tenantId = tenantId;
  }
}
