/** How one push of a Security Event Token ended (RFC 8935 §2.2, §2.3). */
export type PushResult =
  | { readonly ok: true }
  /** The recipient refused this SET (400 with an RFC 8935 error code): sending it again cannot succeed. */
  | { readonly ok: false; readonly final: true; readonly error: string }
  /** A network failure, a timeout or any other status: worth another attempt later. */
  | { readonly ok: false; readonly final: false; readonly error: string };

/** Where and how to push. */
export interface PushTarget {
  /** The recipient's endpoint URL. */
  readonly endpoint: string;
  /** Extra request headers, for example the recipient's `Authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Most milliseconds to wait for the answer. */
  readonly timeout: number;
}

/**
 * Pushes one SET as RFC 8935 §2 defines: `POST` with the compact JWS as the body,
 * `Content-Type: application/secevent+jwt`, `Accept: application/json`. A 2xx (RFC 8935 names 202
 * Accepted) is delivered; a 400 is the recipient's final refusal, reported with its `err` and
 * `description`; anything else is retried by the caller.
 */
export async function pushSet(token: string, target: PushTarget, fetchImpl: typeof fetch = fetch): Promise<PushResult> {
  let response: Response;
  try {
    response = await fetchImpl(target.endpoint, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/secevent+jwt', accept: 'application/json' },
      body: token,
      signal: AbortSignal.timeout(target.timeout),
    });
  } catch (error) {
    return { ok: false, final: false, error: `push to ${target.endpoint} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) return { ok: true };
  if (response.status === 400) {
    let detail = text.slice(0, 200);
    try {
      const body = JSON.parse(text) as { err?: unknown; description?: unknown };
      if (typeof body.err === 'string') detail = `${body.err}${typeof body.description === 'string' ? `: ${body.description.slice(0, 200)}` : ''}`;
    } catch {
      // not JSON: keep the text
    }
    return { ok: false, final: true, error: `${target.endpoint} refused the event (400 ${detail})` };
  }
  return { ok: false, final: false, error: `${target.endpoint} answered ${response.status}` };
}
