/**
 * Per-tenant server settings: how the server treats one tenant's requests where tenants provisioned
 * by different identity providers need different answers. Every setting is optional; an absent one
 * takes the server's own option.
 */
export interface TenantSettings {
  /**
   * Real-client PATCH tolerances switched on or off for this tenant, by name (the names of
   * `PatchTolerances`: `opNameAnyCase`, `booleanStrings`, ...). They override the server's
   * `patchTolerances` option.
   */
  readonly patchTolerances?: Readonly<Record<string, boolean>>;
  /**
   * How PATCH on a resource that holds members (a Group) answers when the client asked for no
   * attributes: `noContent` (204) or `resource` (200 with the resource). Overrides the server's
   * `groupPatchResponse` option.
   */
  readonly groupPatchResponse?: 'noContent' | 'resource';
  /**
   * Keep the display attribute of resources that hold members (a Group's `displayName`) unique
   * within the tenant, case-insensitively (409 `uniqueness`). RFC 7643 makes it non-unique; Entra ID
   * matches groups by `displayName`, so tenants provisioned by Entra may want duplicates refused
   * rather than matched ambiguously. Off by default.
   */
  readonly uniqueGroupDisplayName?: boolean;
}
