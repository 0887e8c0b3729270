/** Runs `count` tasks with at most `concurrency` at once, keeping results in task order. */
export async function runPool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
  /** Checked before each launch: once true, remaining tasks get `skipped(index)` instead of running. */
  stopLaunching: () => boolean,
  skipped: (index: number) => T,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < count) {
      const index = next++;
      results[index] = stopLaunching() ? skipped(index) : await task(index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
