/** OpenClaw's profile order state: `auth-state.json` (JSON era) or the `authProfiles.state` document (SQLite era). */
import { z } from "zod";

export const idList = z.array(z.string()).catch([]);
export const byProvider = <T extends z.ZodType>(value: T) => z.record(z.string(), value).optional().catch(undefined);

export const AuthStateSchema = z.looseObject({ order: byProvider(idList), lastGood: byProvider(z.string().catch("")) });

export type AuthState = z.infer<typeof AuthStateSchema>;

/** Undefined for anything that is not a state document. */
export function parseAuthState(json: unknown): AuthState | undefined {
  const parsed = AuthStateSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
