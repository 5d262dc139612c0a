// Replaying dead letters (data-plane.md §8): each becomes a new delivery of the same event to the same
// subscription with fresh attempt state, so destinations that already succeeded are not sent it again.
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import {
  countReplayCandidates,
  latestDeadLetterId,
  replayableIds,
  replayDeadLetterChunk,
  type ReplayFilter,
} from './dead-letters.repository.js';

export type { ReplayFilter } from './dead-letters.repository.js';

export interface ReplayProgress {
  replayed: number;
  total: number;
}

export interface ReplayResult {
  replayed: number;
  /** Matching dead letters left alone because their event or subscription no longer exists. */
  skipped: number;
}

// Each chunk is one short transaction, so a large replay never holds the write lock for long.
const CHUNK_SIZE = 500;

export async function replayDeadLetters(
  db: Kysely<Database>,
  filter: ReplayFilter,
  onProgress: (progress: ReplayProgress) => void = () => undefined,
  options: { chunkSize?: number; now?: () => number } = {},
): Promise<ReplayResult> {
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const now = options.now ?? Date.now;
  // Pinned before starting: replayed deliveries that fail again become newer dead letters, not more work now.
  const upToId = await latestDeadLetterId(db, filter.destinationId);
  const { replayable, orphaned } = await countReplayCandidates(db, filter, upToId);
  let replayed = 0;
  onProgress({ replayed, total: replayable });
  let afterId = 0;
  for (;;) {
    const ids = await replayableIds(db, filter, afterId, upToId, chunkSize);
    if (ids.length === 0) break;
    replayed += await replayDeadLetterChunk(db, filter, ids, now());
    afterId = ids[ids.length - 1]!;
    onProgress({ replayed, total: Math.max(replayable, replayed) });
  }
  return { replayed, skipped: orphaned };
}
