/** What the server really supports; the `/ServiceProviderConfig` document is built from it. */
export interface ServiceProviderFeatures {
  documentationUri?: string;
  /** Largest page (`pagination.maxPageSize`, `filter.maxResults`). */
  maxPageSize: number;
  /** Page size when the client gives no count (`pagination.defaultPageSize`). */
  defaultPageSize: number;
  /** Largest request body in bytes. */
  maxPayloadBytes: number;
  /** Seconds a cursor stays valid (RFC 9865). */
  cursorTimeoutSeconds: number;
  /** Whether `password` may be set by PUT/PATCH. */
  changePassword: boolean;
  /** Most operations in one `/Bulk` request. */
  maxBulkOperations: number;
}

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

/**
 * The `/ServiceProviderConfig` resource (RFC 7643 §5, RFC 9865 §4). Only what is implemented is
 * marked supported: PATCH, bulk, filtering, sorting, ETags, index and cursor paging.
 */
export function serviceProviderConfig(features: ServiceProviderFeatures, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SPC_SCHEMA],
    ...(features.documentationUri ? { documentationUri: features.documentationUri } : {}),
    patch: { supported: true },
    bulk: { supported: true, maxOperations: features.maxBulkOperations, maxPayloadSize: features.maxPayloadBytes },
    filter: { supported: true, maxResults: features.maxPageSize },
    changePassword: { supported: features.changePassword },
    sort: { supported: true },
    etag: { supported: true },
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: features.defaultPageSize,
      maxPageSize: features.maxPageSize,
      cursorTimeout: features.cursorTimeoutSeconds,
    },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with a bearer token issued to the tenant (RFC 6750).',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  };
}
