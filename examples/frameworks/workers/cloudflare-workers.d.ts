/** The part of the Workers runtime's `cloudflare:workers` module the recipe uses. */
declare module 'cloudflare:workers' {
  /** The worker's bindings, readable at module scope. */
  export const env: Record<string, unknown>;
}
