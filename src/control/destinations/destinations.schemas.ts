import { Type } from '@sinclair/typebox';

const NonEmpty = Type.String({ minLength: 1 });
const SettingsObject = Type.Object({}, { additionalProperties: true });

export const DestinationIdParams = Type.Object({ destinationId: Type.String() });

export const CreateDestinationBody = Type.Object({
  sourceId: NonEmpty,
  metadataId: NonEmpty,
  settings: SettingsObject,
  enabled: Type.Optional(Type.Boolean()),
  name: Type.Optional(Type.String()),
});

export const UpdateDestinationBody = Type.Object({
  name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  enabled: Type.Optional(Type.Boolean()),
  settings: Type.Optional(SettingsObject),
});

export interface CreateDestinationInput {
  sourceId: string;
  metadataId: string;
  settings: Record<string, unknown>;
  enabled?: boolean;
  name?: string;
}

export interface UpdateDestinationInput {
  name?: string | null;
  enabled?: boolean;
  settings?: Record<string, unknown>;
}
