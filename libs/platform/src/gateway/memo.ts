/**
 * The last answer of an expensive call, kept for as long as `ttlMs(answer)` says; callers that arrive
 * while it is being computed share the one computation. A failure is not kept.
 */
export class Memo<T> {
  private value?: { answer: Promise<T>; until: number };

  constructor(private readonly now: () => number = Date.now) {}

  get(compute: () => Promise<T>, ttlMs: (answer: T) => number): Promise<T> {
    if (this.value && this.value.until > this.now()) return this.value.answer;
    const entry = { answer: compute(), until: Number.POSITIVE_INFINITY };
    this.value = entry;
    entry.answer.then(
      (answer) => (entry.until = this.now() + ttlMs(answer)),
      () => this.value === entry && (this.value = undefined),
    );
    return entry.answer;
  }
}
