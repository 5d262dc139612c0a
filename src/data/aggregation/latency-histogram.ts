// Log-scale latency buckets: each bucket spans a factor of 1.2, so reporting its geometric middle is within
// 10% of any sample in it. Buckets of many minutes merge by adding counts.
const BASE = 1.2;
const LOG_BASE = Math.log(BASE);

export function latencyBucket(ms: number): number {
  return ms <= 1 ? 0 : Math.ceil(Math.log(ms) / LOG_BASE);
}

export function bucketValue(bucket: number): number {
  return bucket === 0 ? 1 : Math.pow(BASE, bucket - 0.5);
}

/** The q-quantile (0..1) of merged bucket counts, in ms, or 0 when empty. */
export function quantileOf(counts: ReadonlyMap<number, number>, q: number): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  if (total === 0) return 0;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bucket) ?? 0;
    if (seen >= rank) return Math.round(bucketValue(bucket));
  }
  return 0;
}
