/** Reads (never verifies) the claims this tool needs from an OpenAI access or id token. */
import { z } from "zod";

export interface JwtClaims {
  /** `exp` in ms since the epoch. */
  expiresAtMs: number | null;
  accountId: string | null;
  planType: string | null;
  email: string | null;
}

const optionalString = z.string().min(1).optional().catch(undefined);

const PayloadSchema = z.looseObject({
  exp: z.number().finite().optional().catch(undefined),
  email: optionalString,
  "https://api.openai.com/auth": z
    .looseObject({ chatgpt_account_id: optionalString, chatgpt_plan_type: optionalString })
    .optional()
    .catch(undefined),
  "https://api.openai.com/profile": z.looseObject({ email: optionalString }).optional().catch(undefined),
});

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
  const parsed = PayloadSchema.safeParse(json);
  if (!parsed.success) return NO_CLAIMS;
  const claims = parsed.data;
  const auth = claims["https://api.openai.com/auth"];
  return {
    expiresAtMs: claims.exp === undefined ? null : claims.exp * 1000,
    accountId: auth?.chatgpt_account_id ?? null,
    planType: auth?.chatgpt_plan_type ?? null,
    email: claims.email ?? claims["https://api.openai.com/profile"]?.email ?? null,
  };
}
