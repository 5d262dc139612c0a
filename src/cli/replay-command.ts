// `switchyard replay`: turns a destination's dead letters back into deliveries, straight in the database
// (no running server or API token needed). The running workers pick the new deliveries up on their next poll.
import type { Config } from '../config/config.js';
import { notFound } from '../control/errors.js';
import { parseReplayFilter } from '../control/failed-deliveries/failed-deliveries.service.js';
import { replayDeadLetters, type ReplayProgress } from '../data/dead-letters/replay.js';
import { createLogger } from '../main/logger.js';
import { openMigratedStorage } from '../main/server.js';

export interface ReplayOptions {
  destination: string;
  subscription?: string;
  reason?: string;
  since?: string;
  until?: string;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const BAR_WIDTH = 30;

function bar({ replayed, total }: ReplayProgress): string {
  const ratio = total === 0 ? 1 : Math.min(1, replayed / total);
  const filled = Math.round(ratio * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${replayed}/${total}`;
}

/** A redrawn bar on a terminal; one line per chunk when piped, so logs stay readable. */
export function progressReporter(stream: ProgressStream): { report(progress: ReplayProgress): void; finish(): void } {
  let drawn = false;
  return {
    report(progress) {
      if (stream.isTTY) {
        stream.write(`\r${bar(progress)}`);
        drawn = true;
      } else {
        stream.write(`replayed ${progress.replayed}/${progress.total}\n`);
      }
    },
    finish() {
      if (drawn) stream.write('\n');
    },
  };
}

export async function replayCommand(
  config: Config,
  out: (line: string) => void,
  options: ReplayOptions,
  stream: ProgressStream = process.stdout,
): Promise<void> {
  const storage = await openMigratedStorage(config, createLogger('silent'));
  try {
    const destination = await storage.db
      .selectFrom('destinations')
      .select(['id', 'name'])
      .where('id', '=', options.destination)
      .executeTakeFirst();
    if (!destination) throw notFound('Destination', options.destination);
    const filter = parseReplayFilter(destination.id, {
      ...(options.subscription !== undefined ? { subscriptionId: options.subscription } : {}),
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.until !== undefined ? { until: options.until } : {}),
    });
    const progress = progressReporter(stream);
    const result = await replayDeadLetters(storage.db, filter, (p) => progress.report(p));
    progress.finish();
    out(`Replayed ${result.replayed} dead letter${result.replayed === 1 ? '' : 's'} of destination ${destination.id}.`);
    if (result.skipped > 0) {
      out(`Skipped ${result.skipped} whose event or subscription no longer exists.`);
    }
  } finally {
    await storage.close();
  }
}
