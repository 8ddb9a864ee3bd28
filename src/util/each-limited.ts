/**
 * Runs `work` over `items` with at most `limit` at once, in order of the items. `later`, when given,
 * brings more items to run after them: the lanes start on `items` while it is still on its way.
 */
export async function eachLimited<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
  later?: Promise<T[]>,
): Promise<void> {
  const queue = later ? [...items] : items;
  let pending = later?.then((more) => {
    queue.push(...more);
    pending = undefined;
  });
  // Lanes still busy when `later` fails see it once they run dry; until then it is not unhandled.
  pending?.catch(() => undefined);
  let next = 0;
  const lanes = Array.from({ length: later ? limit : Math.min(limit, items.length) }, async () => {
    for (;;) {
      if (next < queue.length) await work(queue[next++] as T);
      else if (pending) await pending;
      else return;
    }
  });
  await Promise.all(lanes);
}
