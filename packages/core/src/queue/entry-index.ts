/** Additions after which {@link EntryIndex} moves what is still in its small map to the large one. */
const RECENT_LIMIT = 1024;

/**
 * A map of a line's entries by item id, in two parts: the recent entries,
 * and those that have stood in line a while.
 *
 * Most entries come and go quickly (callers served within seconds), while a
 * long line's waiters stay. In one `Map` of ten thousand waiters, every join
 * and leave of the quick ones works on a large table: each lookup misses the
 * CPU caches, and the deleted entries fill the table until V8 copies all ten
 * thousand into a new one, thousands of times a minute at full rate. Here
 * the quick entries churn a small map. Every `RECENT_LIMIT` additions, what
 * is still in it moves to the large map, which then changes only as the
 * standing line does (plus the few quick entries in flight at that moment).
 *
 * The move counts additions, not size: counted by size, the tail of a
 * standing line that joined after the last move (up to `RECENT_LIMIT - 1`
 * entries) would stay in the small map for good, and every rehash of that
 * map — one per few hundred quick entries — would copy it again.
 */
export class EntryIndex<T> {
  private recent = new Map<string, T>();
  private readonly standing = new Map<string, T>();
  private added = 0;

  get(key: string): T | undefined {
    return this.recent.get(key) ?? this.standing.get(key);
  }

  has(key: string): boolean {
    return this.recent.has(key) || this.standing.has(key);
  }

  /** Adds an entry; the key must not be present (check with {@link has}). */
  add(key: string, value: T): void {
    if (++this.added > RECENT_LIMIT) {
      for (const [k, v] of this.recent) this.standing.set(k, v);
      this.recent = new Map();
      this.added = 1;
    }
    this.recent.set(key, value);
  }

  delete(key: string): void {
    if (!this.recent.delete(key)) this.standing.delete(key);
  }

  values(): IterableIterator<T> {
    return [...this.recent.values(), ...this.standing.values()].values();
  }

  clear(): void {
    this.recent.clear();
    this.standing.clear();
    this.added = 0;
  }
}
