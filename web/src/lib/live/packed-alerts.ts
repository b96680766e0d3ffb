import type { AlertBatchBody } from '@vigie/rules';

/** Whether this browser can inflate `alert:packed` frames (Compression Streams with `deflate-raw`). */
export function canUnpack(): boolean {
  if (typeof DecompressionStream !== 'function') return false;
  try {
    new DecompressionStream('deflate-raw');
    return true;
  } catch {
    return false;
  }
}

/** The window's messages out of an `alert:packed` body (base64 of raw-deflated UTF-8 JSON). */
export async function unpackAlerts(body: string): Promise<AlertBatchBody> {
  const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return JSON.parse(await new Response(stream).text()) as AlertBatchBody;
}

/**
 * Runs the tasks it is given one after the other, in the order given, even when some of
 * them wait (inflating a frame): alert messages reach the console in the order they came.
 */
export function inOrder(onError: (e: unknown) => void): (task: () => void | Promise<void>) => void {
  let tail: Promise<void> = Promise.resolve();
  return (task) => {
    tail = tail.then(task).catch(onError);
  };
}
