import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';

/** One MCP session over Streamable HTTP: bound to the tenant whose credential opened it. */
export interface McpSession {
  readonly id: string;
  readonly tenantId: string;
  readonly server: McpServer;
  readonly transport: WebStandardStreamableHTTPServerTransport;
  /** When a request last used it (milliseconds since the epoch). */
  lastUsed: number;
}

/** Limits of {@link McpSessions}. */
export interface SessionLimits {
  /** Most sessions in all; a new one beyond it is refused. */
  readonly maxSessions: number;
  /** Most sessions of one tenant; a new one beyond it closes that tenant's least recently used. */
  readonly maxSessionsPerTenant: number;
  /** A session unused this long is closed. */
  readonly idleTimeoutMs: number;
}

/**
 * The open sessions, by id, with limits that keep one tenant from exhausting them: a tenant past its
 * own share loses its oldest session, never another tenant's, and idle sessions are closed.
 */
export class McpSessions {
  private readonly byId = new Map<string, McpSession>();
  private sweeper: ReturnType<typeof setInterval> | undefined;

  /**
   * @param limits - the caps and idle timeout.
   * @param now - the clock.
   */
  constructor(
    private readonly limits: SessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many sessions are open. */
  get size(): number {
    return this.byId.size;
  }

  /** Whether a new session of the tenant may open: below the total cap, or at the tenant's own cap (its oldest then makes room). */
  hasRoom(tenantId: string): boolean {
    return this.byId.size < this.limits.maxSessions || this.countOf(tenantId) >= this.limits.maxSessionsPerTenant;
  }

  private countOf(tenantId: string): number {
    let n = 0;
    for (const s of this.byId.values()) if (s.tenantId === tenantId) n++;
    return n;
  }

  /** The session with this id, marked as used; undefined when there is none. */
  use(id: string): McpSession | undefined {
    const session = this.byId.get(id);
    if (session) session.lastUsed = this.now();
    return session;
  }

  /** Adds a session; closes the tenant's least recently used one when the tenant is at its cap. */
  add(session: McpSession): void {
    const own = [...this.byId.values()].filter((s) => s.tenantId === session.tenantId);
    if (own.length >= this.limits.maxSessionsPerTenant) {
      const oldest = own.reduce((a, b) => (b.lastUsed < a.lastUsed ? b : a));
      void this.close(oldest.id);
    }
    this.byId.set(session.id, session);
    this.startSweeping();
  }

  /** Forgets a session (its transport closed). */
  remove(id: string): void {
    this.byId.delete(id);
    if (this.byId.size === 0) this.stopSweeping();
  }

  /** Closes a session's server and transport, and forgets it. */
  async close(id: string): Promise<void> {
    const session = this.byId.get(id);
    if (!session) return;
    this.remove(id);
    await session.server.close().catch(() => undefined);
  }

  /** Closes every session unused for longer than the idle timeout. */
  async sweep(): Promise<void> {
    const before = this.now() - this.limits.idleTimeoutMs;
    const idle = [...this.byId.values()].filter((s) => s.lastUsed < before);
    await Promise.all(idle.map((s) => this.close(s.id)));
  }

  /** Closes every session. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.byId.keys()].map((id) => this.close(id)));
    this.stopSweeping();
  }

  private startSweeping(): void {
    if (this.sweeper !== undefined) return;
    const every = Math.max(1000, Math.min(60_000, this.limits.idleTimeoutMs));
    this.sweeper = setInterval(() => void this.sweep(), every);
    (this.sweeper as { unref?: () => void }).unref?.();
  }

  private stopSweeping(): void {
    if (this.sweeper === undefined) return;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
