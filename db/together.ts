/**
 * Awaits every promise, then throws the first failure, if any. Unlike `Promise.all`, nothing started
 * together is still running when the caller goes on: the reads a transaction started together
 * (DbEngine.batchTransaction) are all answered before it rolls back and hands its connection back.
 */
export async function together<T extends readonly unknown[] | []>(values: T): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }> {
  const settled = await Promise.allSettled(values);
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [P in keyof T]: Awaited<T[P]> };
}
