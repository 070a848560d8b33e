/**
 * Lets queued tasks run (a `train/stop` or `dataset/cancel` message from the page) between slices
 * of long work. A MessageChannel round trip is used because nested `setTimeout(0)` is clamped to
 * 4 ms, which costs ~10% of an import; worker messages and port messages share the posted-message
 * task source, so a command already queued runs before this resolves.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
