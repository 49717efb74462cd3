/**
 * Puts a mark on the page's performance timeline once the frame being prepared now has been painted: a
 * layout effect asks for the next animation frame, and a message posted from it runs right after that
 * frame's paint. Benchmarks read these marks (bench/ui.ts); the cost is one frame callback per call.
 */
export function markAfterPaint(name: string, detail: unknown): void {
  if (typeof requestAnimationFrame !== 'function' || typeof MessageChannel !== 'function') return;
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      performance.mark(name, { detail });
    };
    channel.port2.postMessage(null);
  });
}
