/** Which login the server uses and the account's limits (used percent, reset times), refreshed after each run. */
import type { UsageWindow } from "../../../result.js";
import { refreshAccount } from "../actions/session.js";
import { account, session } from "../state.js";

const WINDOW_NAMES: Record<string, string> = { primary: "Short window", secondary: "Weekly window" };

function span(seconds: number | null): string {
  if (seconds === null) return "";
  if (seconds >= 86_400) return ` of ${Math.round(seconds / 86_400)} days`;
  if (seconds >= 3_600) return ` of ${Math.round(seconds / 3_600)} hours`;
  return ` of ${Math.round(seconds / 60)} minutes`;
}

function Window({ window }: { window: UsageWindow }) {
  const used = window.used_percent;
  const resets = window.resets_at === null ? null : new Date(window.resets_at);
  return (
    <li class="limit">
      <span>
        {WINDOW_NAMES[window.name] ?? window.name}
        {span(window.window_seconds)}: {used === null ? "usage unknown" : `${used}% used`}
      </span>
      {used !== null && <progress max={100} value={Math.min(100, used)} aria-label={`${WINDOW_NAMES[window.name] ?? window.name} used`} />}
      <span class="muted">{resets === null ? "reset time unknown" : `resets ${resets.toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" })}`}</span>
    </li>
  );
}

export function Account() {
  const info = account.value;
  return (
    <section class="account" aria-label="Account">
      <h2>Account</h2>
      {info === null ? (
        <p class="muted">Loading…</p>
      ) : (
        <>
          {info.login !== null ? (
            <p>
              {info.login.source}
              {info.login.email !== null && <> · {info.login.email}</>}
              {info.login.plan !== null && <> · plan {info.login.plan}</>}
            </p>
          ) : (
            <p class="error">{info.login_error?.message ?? "No login found."}</p>
          )}
          {info.limits !== null && (
            <ul class="limits">
              {info.limits.windows.map((window) => (
                <Window key={window.name} window={window} />
              ))}
            </ul>
          )}
          {info.limits_error !== null && <p class="muted">Limits unavailable: {info.limits_error}</p>}
        </>
      )}
      <p class="muted">
        Library: <span class="mono">{session.value?.library ?? "…"}</span>
      </p>
      <button type="button" onClick={() => void refreshAccount()}>
        Refresh limits
      </button>
    </section>
  );
}
