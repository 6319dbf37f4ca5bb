/** A SCIM request as plain data: what an HTTP adapter hands to `ScimServer.handle`. */
export interface ScimRequest {
  /** HTTP method, any case. */
  method: string;
  /**
   * Path after the origin, for example `/scim/v2/Users/123`. It may carry the query string
   * (`/scim/v2/Users?filter=...`, as `req.url` does); then `query` must be left out.
   */
  path: string;
  /**
   * Query parameters: a raw query string (`filter=userName+eq+%22x%22`, with or without `?`), a
   * `URLSearchParams`, or a record of decoded values (an array takes its last value). Anything else
   * makes `handle` reject with a `TypeError`.
   */
  query?: Record<string, string | readonly string[] | undefined> | URLSearchParams | string;
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
  /**
   * `body` as JSON text, when the server has it already: byte for byte `JSON.stringify(body)`,
   * rendered in slices for large responses so that no request holds the process for long. Adapters
   * send it as it is. Leave it out when you build a response, and delete it when you change `body`.
   */
  json?: string;
}
