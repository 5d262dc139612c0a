// Documentation models of the objects only Switchyard has: failed deliveries, replay results and the recent
// events of a source. Never used to validate or serialise.
import { Type } from '@sinclair/typebox';
import { StringEnum } from './string-enum.js';

const IsoTime = (description: string) => Type.String({ format: 'date-time', description });
const IsoTimeOrNull = (description: string) => Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description });

export const FailedDelivery = Type.Object(
  {
    id: Type.String({ description: 'Id of the dead letter.' }),
    eventId: Type.String({ description: 'Id of the stored event.' }),
    messageId: Type.String({ description: 'The event’s `messageId`.' }),
    subscriptionId: Type.String(),
    sourceId: Type.String(),
    outcome: StringEnum(['discarded', 'expired'], {
      description: '`discarded`: ended without retry; `expired`: the retry window ran out.',
    }),
    reason: Type.String({ description: 'Machine-readable cause, e.g. `http-4xx`, `payload-invalid`, `retry-window-exhausted`.' }),
    status: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status of the last attempt, when there was a response.' }),
    error: Type.Union([Type.String(), Type.Null()], { description: 'Error message of the last attempt.' }),
    responseExcerpt: Type.Union([Type.String(), Type.Null()], { description: 'Beginning of the last response body.' }),
    attempts: Type.Integer({ description: 'Attempts made before giving up.' }),
    firstAttemptAt: IsoTimeOrNull('When the first attempt started (null when none was made).'),
    lastAttemptAt: IsoTime('When the delivery was given up.'),
    replayedAt: IsoTimeOrNull('When the dead letter was last queued again by a replay.'),
  },
  { $id: 'FailedDelivery', description: 'A delivery that ended without success (a dead letter), kept for inspection and replay.' },
);

export const ReplayFailedDeliveriesInput = Type.Object(
  {
    subscriptionId: Type.Optional(Type.String({ minLength: 1, description: 'Only dead letters of this subscription.' })),
    reason: Type.Optional(Type.String({ minLength: 1, description: 'Only dead letters with this reason.' })),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'Only dead letters given up at or after this time.' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'Only dead letters given up before this time.' })),
  },
  { $id: 'ReplayFailedDeliveriesInput', description: 'Which dead letters to queue again; every filter is optional.' },
);

export const SourceEvent = Type.Object(
  {
    id: Type.String({ description: 'Id of the stored event.' }),
    type: Type.String({ description: 'track, identify, page, screen, group or alias.' }),
    event: Type.Union([Type.String(), Type.Null()], { description: 'Event name (track) or page/screen name.' }),
    messageId: Type.String(),
    userId: Type.Union([Type.String(), Type.Null()]),
    anonymousId: Type.Union([Type.String(), Type.Null()]),
    receivedAt: IsoTime('When the Tracking API accepted the event.'),
  },
  { $id: 'SourceEvent', description: 'Summary of an event a source received.' },
);
