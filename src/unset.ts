/** An empty value counts as unset: for environment variables (spec §4) and flag values alike. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function envValue(env: Env, name: string): string | undefined {
  return nonEmpty(env[name]);
}
