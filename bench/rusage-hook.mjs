// Preloaded with `node --import ./bench/rusage-hook.mjs <script>`: on exit, writes the process's
// own CPU time and peak RSS to $CODEX_IMAGEN_BENCH_RUSAGE (Node cannot read a child's rusage).
import { readFileSync, writeFileSync } from "node:fs";

/** Linux's VmHWM: ru_maxrss would also count the pages of the big parent this process was forked from. */
function peakRssKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

const target = process.env.CODEX_IMAGEN_BENCH_RUSAGE;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ userUs: usage.userCPUTime, systemUs: usage.systemCPUTime, maxRssKb: peakRssKb() }));
  });
}
