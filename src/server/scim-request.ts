/** A SCIM request as plain data: what an HTTP adapter hands to `ScimServer.handle`. */
export interface ScimRequest {
  /** HTTP method, any case. */
  method: string;
  /** Path after the origin, without the query string, for example `/scim/v2/Users/123`. */
  path: string;
  /** Query parameters, already decoded (`+` as space). A raw query string is accepted too. */
  query?: Record<string, string | undefined> | string;
  /** Request headers; names in any case. */
  headers?: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or the raw body text (parsed by the server). */
  body?: unknown;
  /** The request origin (`https://scim.example.com`) used for absolute `meta.location`; optional. */
  origin?: string;
}

/** A SCIM response as plain data: what an HTTP adapter writes out. */
export interface ScimResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON-serialisable body, or undefined for 204 and 304. */
  body?: unknown;
}
