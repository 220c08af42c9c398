/** Outcome counts of a bounded load run; `failures` keeps the first few for the assertion message. */
export interface LoadResult {
  readonly calls: number;
  readonly errors: number;
  readonly failures: readonly string[];
}

/**
 * Runs `total` calls of `one` with at most `concurrency` in flight (a fixed pool of workers
 * pulling the next index), counting each call `one` reports as failed or that throws.
 */
export async function runLoad(
  total: number,
  concurrency: number,
  one: (index: number) => Promise<string | undefined>,
): Promise<LoadResult> {
  let next = 0;
  let errors = 0;
  const failures: string[] = [];
  const worker = async () => {
    while (next < total) {
      const index = next++;
      let failure: string | undefined;
      try {
        failure = await one(index);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      if (failure !== undefined) {
        errors++;
        if (failures.length < 5) failures.push(`#${index}: ${failure}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { calls: total, errors, failures };
}
