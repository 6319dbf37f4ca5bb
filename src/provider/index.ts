export type { ResourceProvider, ListQuery, ProviderWriteOptions, ProviderCreateOptions, ProviderPatchOptions, PatchOutcome } from './resource-provider.js';
export { StandardResourceProvider } from './standard-resource-provider.js';
export type { StandardResourceProviderOptions } from './standard-resource-provider.js';
