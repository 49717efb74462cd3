/**
 * Runs `task` when the page is next idle (within `timeout` ms at the latest); returns the cancel function.
 * Where there is no requestIdleCallback (the stores' tests run under Node), the task runs on the next turn.
 */
export function whenIdle(task: () => void, timeout: number): () => void {
  if (typeof requestIdleCallback !== 'function') {
    const timer = setTimeout(task, 0);
    return () => clearTimeout(timer);
  }
  const idle = requestIdleCallback(task, { timeout });
  return () => cancelIdleCallback(idle);
}
