/**
 * Remembers the result of `make(key)` for `ttlMs`, and shares one call among callers asking at
 * once: a burst of clicks on one link makes one provider call, not one each. A failure is not
 * remembered. At most `maxEntries` keys are kept; the oldest go first.
 */
export function sharedResults<T>(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: Promise<T>; until: number }>();
  return (key: string, make: () => Promise<T>): Promise<T> => {
    const found = entries.get(key);
    if (found && found.until > now()) return found.value;
    entries.delete(key);
    const value = make();
    entries.set(key, { value, until: now() + options.ttlMs });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
    return value;
  };
}
