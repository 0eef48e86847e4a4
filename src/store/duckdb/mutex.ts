/** Serializes async work: DuckDB connections must not run two statements at once. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs fn after every earlier fn has settled. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
