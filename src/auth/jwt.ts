/** Reads (never verifies) the claims this tool needs from an OpenAI access or id token. */
import { finiteNumber, object, text } from "./fields.js";

export interface JwtClaims {
  /** `exp` in ms since the epoch. */
  expiresAtMs: number | null;
  accountId: string | null;
  planType: string | null;
  email: string | null;
}

const NO_CLAIMS: JwtClaims = { expiresAtMs: null, accountId: null, planType: null, email: null };

export function decodeJwtClaims(token: string | null | undefined): JwtClaims {
  const payload = token?.split(".")[1];
  if (payload === undefined) return NO_CLAIMS;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return NO_CLAIMS;
  }
  const claims = object(json);
  if (claims === undefined) return NO_CLAIMS;
  const auth = object(claims["https://api.openai.com/auth"]);
  const exp = finiteNumber(claims.exp);
  return {
    expiresAtMs: exp === undefined ? null : exp * 1000,
    accountId: text(auth?.chatgpt_account_id) ?? null,
    planType: text(auth?.chatgpt_plan_type) ?? null,
    email: text(claims.email) ?? text(object(claims["https://api.openai.com/profile"])?.email) ?? null,
  };
}
