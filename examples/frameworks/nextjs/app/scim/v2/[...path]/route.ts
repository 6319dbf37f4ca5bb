/**
 * SCIM as Next.js route handlers (App Router): this file is `app/scim/v2/[...path]/route.ts`.
 *
 * - Every method is the same Fetch handler; it reads the body itself from the `Request`.
 * - It runs on the Node.js runtime and on the edge runtime alike (`export const runtime = 'edge'`):
 *   building the server at module scope draws no random value and starts no asynchronous work, and
 *   validation needs no code generation.
 * - `SCIM_TENANTS` holds the tenants JSON itself (the edge runtime has no file system).
 */
import { toFetchHandler } from 'scim-server/fetch';
import { createScim, tenantsFrom } from '../../../../../create-scim.js';

const handler = toFetchHandler(createScim(tenantsFrom(process.env.SCIM_TENANTS)));

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
