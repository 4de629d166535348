// Prisma's driver adapter for PostgreSQL, with a transaction's queries sent one at a time.
//
// Prisma sends the parts of a query that do not depend on each other at once: reading a key with
// its owner, team, issuer and blacklist entry is one SELECT and then four together. Outside a
// transaction each of the four takes a pooled connection of its own. Inside one they all go to
// the transaction's single pg Client, and stock @prisma/adapter-pg hands them over as they come
// (prisma/orm#29468, #29979 are open). pg queues them, but calling client.query() while the
// client is busy is deprecated in pg 8 (a DeprecationWarning in the log) and fails in pg 9.
// So a transaction here waits for each query's answer before it sends the next, which is the
// order pg's queue kept; the queries outside transactions are untouched. No server-only marker:
// the start script and the seed open clients with it too, outside Next.
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

export function createPgAdapter(...args: ConstructorParameters<typeof PrismaPg>): SqlDriverAdapterFactory {
  const pg = new PrismaPg(...args);
  return {
    provider: pg.provider,
    adapterName: pg.adapterName,
    async connect() {
      return inTurnTransactions(await pg.connect());
    },
  };
}

function inTurnTransactions(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const { getConnectionInfo } = adapter;
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    executeScript: (script) => adapter.executeScript(script),
    startTransaction: async (isolationLevel) => inTurn(await adapter.startTransaction(isolationLevel)),
    getConnectionInfo: getConnectionInfo && (() => getConnectionInfo.call(adapter)),
    dispose: () => adapter.dispose(),
  };
}

function inTurn(tx: Transaction): Transaction {
  // The last query handed over; the next one starts when it has settled, whichever way.
  let last: Promise<unknown> = Promise.resolve();
  const next = <T>(send: () => Promise<T>): Promise<T> => {
    const sent = last.then(send);
    last = sent.catch(() => undefined);
    return sent;
  };
  const { createSavepoint, rollbackToSavepoint, releaseSavepoint } = tx;
  return {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (query) => next(() => tx.queryRaw(query)),
    executeRaw: (query) => next(() => tx.executeRaw(query)),
    // Savepoints are queries on the same connection, so they take their turn too.
    createSavepoint: createSavepoint && ((name) => next(() => createSavepoint.call(tx, name))),
    rollbackToSavepoint: rollbackToSavepoint && ((name) => next(() => rollbackToSavepoint.call(tx, name))),
    releaseSavepoint: releaseSavepoint && ((name) => next(() => releaseSavepoint.call(tx, name))),
    // Prisma sends COMMIT and ROLLBACK as queries (above) before calling these, which only
    // give the connection back to the pool.
    commit: () => tx.commit(),
    rollback: () => tx.rollback(),
  };
}
