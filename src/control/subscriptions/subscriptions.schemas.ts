import { Type } from '@sinclair/typebox';

const NonEmpty = Type.String({ minLength: 1 });
const Mapping = Type.Object({}, { additionalProperties: true });

export const SubscriptionParams = Type.Object({ destinationId: Type.String(), id: Type.String() });

export const CreateSubscriptionBody = Type.Object({
  name: NonEmpty,
  actionId: NonEmpty,
  trigger: NonEmpty,
  enabled: Type.Boolean(),
  settings: Type.Optional(Mapping),
  modelId: Type.Optional(Type.String()),
});

export const UpdateSubscriptionBody = Type.Object({
  input: Type.Object({
    name: Type.Optional(NonEmpty),
    trigger: Type.Optional(NonEmpty),
    enabled: Type.Optional(Type.Boolean()),
    settings: Type.Optional(Mapping),
  }),
});

export interface CreateSubscriptionInput {
  name: string;
  actionId: string;
  trigger: string;
  enabled: boolean;
  settings?: Record<string, unknown>;
  modelId?: string;
}

export interface UpdateSubscriptionInput {
  name?: string;
  trigger?: string;
  enabled?: boolean;
  settings?: Record<string, unknown>;
}
