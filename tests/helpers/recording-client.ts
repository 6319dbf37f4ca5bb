import type { SqlClient, SqlQueryable } from '../../src/storage/postgres/index.js';

/** One statement a client sent. */
export interface RecordedStatement {
  text: string;
  params: readonly unknown[];
}

/** Wraps a client so that every statement it sends, in a transaction or not, is recorded. */
export function recordingClient(inner: SqlClient): { client: SqlClient; statements: RecordedStatement[] } {
  const statements: RecordedStatement[] = [];
  const wrap = (q: SqlQueryable): SqlQueryable => ({
    query: (text, params) => {
      statements.push({ text, params: params ?? [] });
      return q.query(text, params);
    },
  });
  const client: SqlClient = {
    ...wrap(inner),
    transaction: (work) => inner.transaction((tx) => work(wrap(tx))),
    close: () => inner.close?.() ?? Promise.resolve(),
  };
  return { client, statements };
}
