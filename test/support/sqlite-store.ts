/** OpenClaw (≥ 2026.6) SQLite auth stores for tests, made with `node:sqlite` itself and the exact schema OpenClaw uses. */
import { chmodSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { nodeSqlite, type SqliteDatabase } from "../../src/auth/sqlite.js";
import { decodeJwtClaims } from "../../src/auth/jwt.js";
import type { TestProfile } from "./tokens.js";

/** Why SQLite tests cannot run on this Node, or undefined when they can. */
export const sqliteSkip: string | undefined = nodeSqlite() === null ? "needs node:sqlite" : undefined;

export type Layout = "agent" | "state";

const SCHEMA = {
  state: "CREATE TABLE IF NOT EXISTS config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT",
  agent: [
    "CREATE TABLE IF NOT EXISTS auth_profile_store (store_key TEXT NOT NULL PRIMARY KEY, store_json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT",
    "CREATE TABLE IF NOT EXISTS auth_profile_state (state_key TEXT NOT NULL PRIMARY KEY, state_json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT",
  ].join(";\n"),
};

/** A profile as `writeOpenClawProfiles` takes it, with provider `openai` by default (a fence gets `expires: 1`), plus any extra fields. */
export interface SqliteProfile extends TestProfile {
  [extra: string]: unknown;
}

export interface SqliteContent {
  profiles?: Record<string, SqliteProfile>;
  /** The state document (`order`, `lastGood`, ...). */
  state?: Record<string, unknown>;
  /** State databases only: the `auth.sharedStore` row (default `state-db`; null = no row). */
  sharedStore?: "state-db" | "legacy-main" | null;
  userVersion?: number;
  /** Unrelated rows kept in the same table, to prove write-back leaves them alone. */
  otherRows?: Record<string, unknown>;
}

export const FENCE = (claim: string, field: "access" | "refresh") => `openclaw-oauth-refresh-fence:v1:${claim}:${field}:placeholder`;
export const FAILED_FENCE = (claim: string, field: "access" | "refresh") => `openclaw-oauth-refresh-fence:v1:${claim}:failed:${field}:placeholder`;

function open(path: string): SqliteDatabase {
  const sqlite = nodeSqlite();
  if (sqlite === null) throw new Error("node:sqlite is not available on this Node");
  return new sqlite.DatabaseSync(path);
}

function storeDocument(profiles: Record<string, SqliteProfile>): string {
  const entries = Object.entries(profiles).map(([id, p]) => [
    id,
    { type: "oauth", provider: "openai", ...p, expires: p.expires ?? decodeJwtClaims(p.access).expiresAtMs ?? 1 },
  ]);
  return JSON.stringify({ version: 1, profiles: Object.fromEntries(entries) });
}

/** Creates (or updates) an OpenClaw database: 0700 dirs, a 0600 file, WAL, as OpenClaw leaves it. Returns its path. */
export function writeOpenClawSqlite(path: string, layout: Layout, content: SqliteContent): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = open(path);
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(SCHEMA[layout]);
    if (content.userVersion !== undefined) db.exec(`PRAGMA user_version = ${content.userVersion}`);
    const now = Date.now();
    const put = (key: string, json: string) =>
      layout === "state"
        ? db.prepare("INSERT OR REPLACE INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES (?, ?, ?)").run(key, json, now)
        : db.prepare(`INSERT OR REPLACE INTO ${key === "state" ? "auth_profile_state (state_key, state_json" : "auth_profile_store (store_key, store_json"}, updated_at) VALUES ('primary', ?, ?)`).run(json, now);
    if (content.profiles !== undefined) put(layout === "state" ? "authProfiles.store" : "store", storeDocument(content.profiles));
    if (content.state !== undefined) put(layout === "state" ? "authProfiles.state" : "state", JSON.stringify({ version: 1, ...content.state }));
    if (layout === "state" && content.sharedStore !== null) put("auth.sharedStore", JSON.stringify({ location: content.sharedStore ?? "state-db" }));
    for (const [key, value] of Object.entries(content.otherRows ?? {})) put(key, JSON.stringify(value));
  } finally {
    db.close();
  }
  chmodSync(path, 0o600);
  return path;
}

export interface StoredRow {
  json: Record<string, unknown>;
  updatedAt: number;
}

/** A row as stored: the store document (default), the state document, or any `config_machine_state` key. */
export function readOpenClawRow(path: string, layout: Layout, which: "store" | "state" | string = "store"): StoredRow | undefined {
  const db = open(path);
  try {
    const row = (
      layout === "state"
        ? db.prepare("SELECT value_json AS json, updated_at_ms AS updated FROM config_machine_state WHERE state_key = ?").get(which === "store" ? "authProfiles.store" : which === "state" ? "authProfiles.state" : which)
        : db.prepare(`SELECT ${which === "state" ? "state_json AS json, updated_at AS updated FROM auth_profile_state" : "store_json AS json, updated_at AS updated FROM auth_profile_store"} WHERE ${which === "state" ? "state_key" : "store_key"} = 'primary'`).get()
    ) as { json: string; updated: number } | undefined;
    return row === undefined ? undefined : { json: JSON.parse(row.json) as Record<string, unknown>, updatedAt: Number(row.updated) };
  } finally {
    db.close();
  }
}

/** The profiles map of a store document. */
export function readSqliteProfiles(path: string, layout: Layout): Record<string, Record<string, unknown>> {
  return (readOpenClawRow(path, layout)?.json.profiles ?? {}) as Record<string, Record<string, unknown>>;
}

/** Where OpenClaw keeps its databases under a state dir. */
export const sqlitePaths = (stateDir: string, agent = "main") => ({
  state: join(stateDir, "state", "openclaw.sqlite"),
  agent: join(stateDir, "agents", agent, "agent", "openclaw-agent.sqlite"),
});
