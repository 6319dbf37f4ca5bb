/**
 * An HTTP answer carrying a JSON-RPC error, as the Streamable HTTP transport answers requests it
 * refuses before any message is handled (no request id is known yet).
 */
export function jsonRpcErrorResponse(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** JSON-RPC error code the SDK's transport uses for HTTP-level refusals. */
export const TRANSPORT_ERROR = -32000;
/** JSON-RPC error code the SDK's transport uses for an unknown session. */
export const SESSION_NOT_FOUND = -32001;
