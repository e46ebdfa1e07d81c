// Every container this process started, so that they are all stopped on exit, on SIGINT,
// SIGTERM and SIGHUP, and by test teardown, also when a test fails.

export interface Stoppable {
  stop(): Promise<void>;
  /** Kills and removes everything without an event loop (exit handlers). */
  stopSync(): void;
}

const live = new Set<Stoppable>();
let hooked = false;

export function track(container: Stoppable): void {
  live.add(container);
  hookProcess();
}

export function untrack(container: Stoppable): void {
  live.delete(container);
}

/** Stops every container this process started; for test teardown. */
export async function stopAllContainers(): Promise<void> {
  await Promise.all([...live].map((container) => container.stop()));
}

function stopAllSync(): void {
  for (const container of [...live]) container.stopSync();
}

function hookProcess(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', stopAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      stopAllSync();
      // With no other handler left, die of the signal as if we had never caught it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}
