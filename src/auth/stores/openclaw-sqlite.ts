/** OpenClaw ≥ 2026.6 keeps auth profiles in SQLite: an agent's own database over the state dir's shared store. */
import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import { CodexImagenError, IoError } from "../../errors.js";
import { SQLITE_NODE_NEEDED, nodeSqlite, type SqliteDatabase } from "../sqlite.js";
import { parseAuthState, type AuthState } from "./auth-state.js";
import { readOpenClawProfiles, writeOpenClawProfileTokens } from "./openclaw-json.js";
import { CredentialProblem, isRecord, StoreAbsent, type LoadedStore, type NewTokens, type SqliteOrigin, type SqliteView, type StoredCredential } from "./types.js";

/** OpenClaw refuses databases newer than the schema it knows; so do we. */
const MAX_USER_VERSION = 23;
const BUSY_TIMEOUT_MS = 5000;
const HEADER = Buffer.from("SQLite format 3\0", "latin1");

export const AGENT_DB = "openclaw-agent.sqlite";

export const stateDbPath = (stateDir: string) => join(stateDir, "state", "openclaw.sqlite");
export const mainAgentDbPath = (stateDir: string) => join(stateDir, "agents", "main", "agent", AGENT_DB);

/** The path a view is known by before a profile is chosen. */
export function viewPath(view: SqliteView): string {
  return view.stateDb ?? view.agentDb ?? stateDbPath(view.stateDir ?? "");
}

/** The first bytes of `path` say SQLite; false when it is missing or shorter. */
export async function hasSqliteHeader(path: string): Promise<boolean> {
  const handle = await open(path, "r").catch(() => undefined);
  if (handle === undefined) return false;
  try {
    const head = Buffer.alloc(HEADER.length);
    const { bytesRead } = await handle.read(head, 0, HEADER.length, 0);
    return bytesRead === HEADER.length && head.equals(HEADER);
  } finally {
    await handle.close();
  }
}

function sqliteReason(error: unknown): string {
  const { errstr, code } = error as { errstr?: unknown; code?: unknown };
  return typeof errstr === "string" ? errstr : typeof code === "string" ? code : "unknown error";
}

/** Opens an existing OpenClaw database; undefined when it does not exist. Never creates one. */
async function openDb(path: string): Promise<{ db: SqliteDatabase; mode: number } | undefined> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") return undefined;
    throw new CredentialProblem("auth_missing", `cannot be read (${error.code ?? "unknown error"})`);
  });
  if (info === undefined) return undefined;
  if (!info.isFile()) throw new CredentialProblem("auth_missing", "is not a file");
  if (info.size === 0) throw new CredentialProblem("auth_missing", "is empty");
  if (!(await hasSqliteHeader(path))) throw new CredentialProblem("auth_missing", "is not an SQLite database (truncated or corrupted?)");
  const sqlite = nodeSqlite();
  if (sqlite === null) throw new CredentialProblem("auth_missing", `is an OpenClaw SQLite store; this OpenClaw store ${SQLITE_NODE_NEEDED}`, "Run codex-imagen with Node 22.13 or newer");
  let db: SqliteDatabase | undefined;
  try {
    db = new sqlite.DatabaseSync(path);
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = Number((db.prepare("PRAGMA user_version").get() as { user_version?: unknown } | undefined)?.user_version ?? 0);
    if (version > MAX_USER_VERSION) {
      throw new CredentialProblem("auth_missing", `was written by a newer OpenClaw (database version ${version}, this tool reads up to ${MAX_USER_VERSION})`, "Update codex-imagen");
    }
    return { db, mode: info.mode & 0o777 };
  } catch (error) {
    db?.close();
    if (error instanceof CredentialProblem) throw error;
    throw new CredentialProblem("auth_missing", `cannot be read as an SQLite database (${sqliteReason(error)})`);
  }
}

const TABLES = {
  agent: { store: ["auth_profile_store", "store_json", "store_key", "updated_at", "primary"], state: ["auth_profile_state", "state_json", "state_key", "updated_at", "primary"] },
  state: { store: ["config_machine_state", "value_json", "state_key", "updated_at_ms", "authProfiles.store"], state: ["config_machine_state", "value_json", "state_key", "updated_at_ms", "authProfiles.state"] },
} as const;

type Row = readonly [table: string, column: string, key: string, updated: string, id: string];

function tableExists(db: SqliteDatabase, table: string): boolean {
  return db.prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** One JSON document cell; undefined when the table or row is missing or the JSON is broken. */
function readDocument(db: SqliteDatabase, [table, column, key, , id]: Row): unknown {
  if (!tableExists(db, table)) return undefined;
  const row = db.prepare(`SELECT ${column} AS json FROM ${table} WHERE ${key} = ?`).get(id) as { json?: unknown } | undefined;
  if (typeof row?.json !== "string") return undefined;
  try {
    return JSON.parse(row.json);
  } catch {
    return undefined;
  }
}

interface Layer {
  readonly origin: SqliteOrigin;
  readonly profiles: readonly StoredCredential[];
  readonly state: AuthState | undefined;
}

/** Reads one layout of an open database in one short read transaction. */
function readLayer(db: SqliteDatabase, origin: SqliteOrigin): Layer {
  db.exec("BEGIN");
  try {
    const store = readDocument(db, TABLES[origin.layout].store);
    const state = parseAuthState(readDocument(db, TABLES[origin.layout].state));
    const profiles = isRecord(store) && isRecord(store.profiles) ? readOpenClawProfiles(store).map((p) => ({ ...p, origin })) : [];
    return { origin, profiles, state };
  } finally {
    db.exec("COMMIT");
  }
}

async function withDb<T>(path: string, use: (db: SqliteDatabase, mode: number) => T): Promise<T | undefined> {
  const opened = await openDb(path);
  if (opened === undefined) return undefined;
  try {
    return use(opened.db, opened.mode);
  } catch (error) {
    if (error instanceof CredentialProblem || error instanceof CodexImagenError) throw error;
    throw new CredentialProblem("auth_missing", `cannot be read (${sqliteReason(error)})`);
  } finally {
    opened.db.close();
  }
}

/** A problem with another database than the one the store is known by names that database. */
function about(viewFile: string, path: string, error: unknown): unknown {
  if (!(error instanceof CredentialProblem) || path === viewFile) return error;
  return new CredentialProblem(error.code, `reads ${path}, which ${error.reason}`, error.nextStep);
}

async function readAgentLayer(viewFile: string, path: string): Promise<Layer | undefined> {
  try {
    return await withDb(path, (db, mode) => readLayer(db, { db: path, layout: "agent", mode }));
  } catch (error) {
    throw about(viewFile, path, error);
  }
}

/** The state dir's shared store: the state database when `auth.sharedStore` says so, else the main agent's database. */
async function readSharedLayer(viewFile: string, stateDir: string, agent: Layer | undefined): Promise<Layer | undefined> {
  const statePath = stateDbPath(stateDir);
  const fromStateDb = await withDb(statePath, (db, mode) => {
    if (!tableExists(db, "config_machine_state")) return undefined;
    const location = readDocument(db, ["config_machine_state", "value_json", "state_key", "updated_at_ms", "auth.sharedStore"]);
    return isRecord(location) && location.location === "state-db" ? readLayer(db, { db: statePath, layout: "state", mode }) : undefined;
  }).catch((error: unknown) => {
    throw about(viewFile, statePath, error);
  });
  if (fromStateDb !== undefined) return fromStateDb;
  const mainPath = mainAgentDbPath(stateDir);
  return agent?.origin.db === mainPath ? agent : readAgentLayer(viewFile, mainPath);
}

function mergeState(under: AuthState | undefined, over: AuthState | undefined): AuthState | undefined {
  if (under === undefined || over === undefined) return over ?? under;
  return { ...under, ...over, order: { ...under.order, ...over.order }, lastGood: { ...under.lastGood, ...over.lastGood } };
}

async function readLayers(view: SqliteView, viewFile: string): Promise<Layer[]> {
  if (view.stateDb !== undefined) {
    const stateDb = view.stateDb;
    const layer = await withDb(stateDb, (db, mode) => readLayer(db, { db: stateDb, layout: "state", mode }));
    if (layer === undefined) throw new StoreAbsent();
    return [layer];
  }
  // Without an agent of its own, a view reads as the main agent does.
  const agentPath = view.agentDb ?? (view.stateDir === null ? undefined : mainAgentDbPath(view.stateDir));
  const agent = agentPath === undefined ? undefined : await readAgentLayer(viewFile, agentPath);
  if (agent === undefined && view.agentDb !== null) throw new StoreAbsent();
  const shared = view.stateDir === null ? undefined : await readSharedLayer(viewFile, view.stateDir, agent);
  if (agent === undefined && shared === undefined) {
    throw new StoreAbsent(`does not exist (nor does ${mainAgentDbPath(view.stateDir ?? "")})`);
  }
  if (shared === undefined || shared.origin.db === agent?.origin.db) return agent === undefined ? [] : [agent];
  return agent === undefined ? [shared] : [shared, agent];
}

/**
 * The view for a database given by path (`--auth`): a state database alone; an agent database over
 * the shared store of `stateDir` when it lies inside that state dir, else alone.
 */
export async function sqliteViewOfFile(path: string, stateDir: string, insideStateDir: boolean): Promise<SqliteView> {
  const isStateDb = await withDb(path, (db) => tableExists(db, "config_machine_state") && !tableExists(db, "auth_profile_store"));
  if (isStateDb === undefined) throw new StoreAbsent();
  if (isStateDb) return { agentDb: null, stateDir: null, stateDb: path };
  return { agentDb: path, stateDir: insideStateDir && path !== stateDbPath(stateDir) ? stateDir : null };
}

/** Reads the view's databases; the agent's profiles win over the shared store's by id. */
export async function loadSqliteStore(view: SqliteView): Promise<LoadedStore> {
  const path = viewPath(view);
  const layers = await readLayers(view, path);
  const byId = new Map<string | null, StoredCredential>();
  for (const layer of layers) for (const profile of layer.profiles) byId.set(profile.profileId, profile);
  const state = layers.reduce<AuthState | undefined>((merged, layer) => mergeState(merged, layer.state), undefined);
  return {
    path,
    format: "openclaw-sqlite",
    mode: layers.at(-1)?.origin.mode ?? 0o600,
    credentials: [...byId.values()],
    sqlite: view,
    ...(state === undefined ? {} : { state }),
  };
}

/** Updates one profile inside the stored JSON document under `BEGIN IMMEDIATE`; every other field and profile stays. */
export async function writeSqliteTokens(origin: SqliteOrigin, profileId: string, tokens: NewTokens): Promise<void> {
  const [table, column, key, updated, id] = TABLES[origin.layout].store;
  const done = await withDb(origin.db, (db) => {
    try {
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      throw new IoError(`Could not lock ${origin.db} to write the refreshed credentials (${sqliteReason(error)}); it is unchanged. Try again.`, error);
    }
    try {
      const doc = readDocument(db, TABLES[origin.layout].store);
      if (!isRecord(doc) || !isRecord(doc.profiles) || !isRecord(doc.profiles[profileId])) {
        throw new CredentialProblem("auth_missing", "no longer holds this credential");
      }
      const json = JSON.stringify(writeOpenClawProfileTokens(doc, profileId, tokens));
      db.prepare(`INSERT INTO ${table} (${key}, ${column}, ${updated}) VALUES (?, ?, ?) ON CONFLICT(${key}) DO UPDATE SET ${column} = excluded.${column}, ${updated} = excluded.${updated}`).run(
        id,
        json,
        Date.now(),
      );
      db.exec("COMMIT");
      return true;
    } catch (error) {
      db.exec("ROLLBACK");
      if (error instanceof CredentialProblem) throw error;
      throw new IoError(`Could not write the refreshed credentials to ${origin.db} (${sqliteReason(error)}); it is unchanged. Log in again if its refresh token stops working.`, error);
    }
  });
  if (done === undefined) throw new CredentialProblem("auth_missing", "no longer exists");
}
