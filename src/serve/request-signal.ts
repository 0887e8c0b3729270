/** Aborted when the client leaves or the server stops waiting; unlike Node 20's AbortSignal.any, it leaves nothing on the server-long signal once disposed. */
export function requestSignal(client: AbortSignal, lifetime: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const sources = [client, lifetime];
  const forward = (event: Event): void => controller.abort((event.target as AbortSignal).reason);
  for (const source of sources) {
    if (source.aborted) controller.abort(source.reason);
    else source.addEventListener("abort", forward, { once: true });
  }
  return { signal: controller.signal, dispose: () => sources.forEach((source) => source.removeEventListener("abort", forward)) };
}
