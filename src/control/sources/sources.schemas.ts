import { Type } from '@sinclair/typebox';

const NonEmpty = Type.String({ minLength: 1 });
const SettingsObject = Type.Object({}, { additionalProperties: true });

export const SourceIdParams = Type.Object({ sourceId: Type.String() });
export const WriteKeyParams = Type.Object({ sourceId: Type.String(), writeKey: Type.String() });

export const CreateSourceBody = Type.Object({
  slug: NonEmpty,
  enabled: Type.Boolean(),
  metadataId: NonEmpty,
  name: Type.Optional(Type.String()),
  settings: Type.Optional(SettingsObject),
});

export const UpdateSourceBody = Type.Object({
  name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  enabled: Type.Optional(Type.Boolean()),
  slug: Type.Optional(NonEmpty),
  settings: Type.Optional(SettingsObject),
});

export interface CreateSourceInput {
  slug: string;
  enabled: boolean;
  metadataId: string;
  name?: string;
  settings?: Record<string, unknown>;
}

export interface UpdateSourceInput {
  name?: string | null;
  enabled?: boolean;
  slug?: string;
  settings?: Record<string, unknown>;
}
