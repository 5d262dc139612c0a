import { Type, type SchemaOptions, type TUnsafe } from '@sinclair/typebox';

/** `{type: 'string', enum: [...]}`: reads better in the document and in generated clients than a union of literals. */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}
