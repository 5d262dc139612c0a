// Failed deliveries (our extension): a destination's dead letters, newest first, and their replay.
import type { Kysely } from 'kysely';
import {
  countDeadLetters,
  pageDeadLetters,
  type DeadLetterFilter,
  type DeadLetterWithMessage,
} from '../../data/dead-letters/dead-letters.repository.js';
import { replayDeadLetters, type ReplayFilter } from '../../data/dead-letters/replay.js';
import type { Database, DestinationRow } from '../../storage/schema.js';
import type { DestinationService } from '../destinations/destinations.service.js';
import { invalidInput, type FieldIssue } from '../errors.js';
import { fetchPage, type PageRequest } from '../paging.js';
import { singleParam, timestampOrIssue, type QueryParams } from '../query-params.js';

export interface ReplayInput {
  subscriptionId?: string;
  reason?: string;
  since?: string;
  until?: string;
}

const isoOrNull = (time: number | null) => (time === null ? null : new Date(time).toISOString());

function toWire(row: DeadLetterWithMessage) {
  return {
    id: String(row.id),
    eventId: row.event_id,
    messageId: row.message_id,
    subscriptionId: row.subscription_id,
    sourceId: row.source_id,
    outcome: row.outcome,
    reason: row.reason,
    status: row.status === null ? null : Number(row.status),
    error: row.error,
    responseExcerpt: row.response_excerpt,
    attempts: Number(row.attempts),
    firstAttemptAt: isoOrNull(row.first_attempt_at),
    lastAttemptAt: new Date(row.last_attempt_at).toISOString(),
    replayedAt: isoOrNull(row.replayed_at),
  };
}

function nonEmpty(value: string | undefined, name: string, issues: FieldIssue[]): string | undefined {
  if (value === '') issues.push({ field: name, message: `"${name}" must not be empty` });
  return value || undefined;
}

export class FailedDeliveriesService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly destinations: DestinationService,
  ) {}

  async list(destination: DestinationRow, query: QueryParams, page: PageRequest) {
    const issues: FieldIssue[] = [];
    const reason = nonEmpty(singleParam(query, 'reason', issues), 'reason', issues);
    const subscriptionId = nonEmpty(singleParam(query, 'subscriptionId', issues), 'subscriptionId', issues);
    if (issues.length > 0) throw invalidInput(issues);
    const filter: DeadLetterFilter = {
      destinationId: destination.id,
      ...(reason !== undefined ? { reason } : {}),
      ...(subscriptionId !== undefined ? { subscriptionId } : {}),
    };
    const result = await fetchPage({
      collection: 'failed-deliveries',
      parent: destination.id,
      request: page,
      keyOf: (row: DeadLetterWithMessage) => [Number(row.last_attempt_at), String(row.id)],
      fetch: (q) => pageDeadLetters(this.db, filter, q),
      total: () => countDeadLetters(this.db, filter),
    });
    return { failedDeliveries: result.items.map(toWire), pagination: result.pagination };
  }

  requireDestination(workspaceId: string, destinationId: string): Promise<DestinationRow> {
    return this.destinations.require(workspaceId, destinationId);
  }

  replay(destination: DestinationRow, input: ReplayInput): Promise<{ replayed: number; skipped: number }> {
    return replayDeadLetters(this.db, parseReplayFilter(destination.id, input));
  }
}

export function parseReplayFilter(destinationId: string, input: ReplayInput): ReplayFilter {
  const issues: FieldIssue[] = [];
  const since = timestampOrIssue(input.since, 'since', issues);
  const until = timestampOrIssue(input.until, 'until', issues);
  if (since !== undefined && until !== undefined && since >= until) {
    issues.push({ field: 'since', message: '"since" must be earlier than "until"' });
  }
  if (issues.length > 0) throw invalidInput(issues);
  return {
    destinationId,
    ...(input.subscriptionId !== undefined ? { subscriptionId: input.subscriptionId } : {}),
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}
