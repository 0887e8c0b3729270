/** `node:sqlite`, loaded only on first use and only where Node has it without flags (22.13+). */

export type SqliteValue = string | number | bigint | null | Uint8Array;

export interface SqliteStatement {
  get(...params: SqliteValue[]): unknown;
  run(...params: SqliteValue[]): unknown;
}

export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

interface SqliteModule {
  DatabaseSync: new (path: string) => SqliteDatabase;
}

/** For messages: why an SQLite store cannot be read here. */
export const SQLITE_NODE_NEEDED = `needs Node 22.13+ (you run ${process.version})`;

let loaded: SqliteModule | null | undefined;

function isSqliteWarning(warning: unknown, rest: unknown[]): boolean {
  const first = rest[0];
  const type = typeof first === "string" ? first : typeof first === "object" && first !== null ? (first as { type?: unknown }).type : undefined;
  return type === "ExperimentalWarning" && /sqlite/i.test(String(warning));
}

/** Null on Node versions without an unflagged `node:sqlite`; its ExperimentalWarning never reaches stderr. */
export function nodeSqlite(): SqliteModule | null {
  if (loaded !== undefined) return loaded;
  // `process.getBuiltinModule` is synchronous and exists from Node 20.16; older Node has no node:sqlite anyway.
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const original = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    if (isSqliteWarning(warning, rest)) return;
    return (original as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    const module = getBuiltin?.call(process, "node:sqlite") as Partial<SqliteModule> | undefined;
    loaded = typeof module?.DatabaseSync === "function" ? (module as SqliteModule) : null;
  } catch {
    loaded = null;
  } finally {
    process.emitWarning = original;
  }
  return loaded;
}
