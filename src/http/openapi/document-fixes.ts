// Touch-ups of the assembled document for what @fastify/swagger cannot express per route.

/** Set on an operation by the route transform when its body may be omitted; removed here. */
export const OPTIONAL_BODY_MARKER = 'x-switchyard-optional-body';

interface Parameter {
  in?: string;
  name?: string;
  description?: string;
  schema?: { type?: unknown; $ref?: string };
  style?: string;
  explode?: boolean;
}

type Operation = { parameters?: Parameter[]; requestBody?: { required?: boolean } } & Record<string, unknown>;

interface OpenApiObject {
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, { type?: unknown }> };
}

const COMPONENT_PREFIX = '#/components/schemas/';

/** Parameter descriptions that a `$ref` schema cannot carry. */
const PARAMETER_DESCRIPTIONS: Record<string, string> = {
  pagination: 'Page to return: `pagination[count]` (1–1000, default 200) and `pagination[cursor]` (omit for the first page).',
};

export function finishDocument<T extends OpenApiObject>(document: T): T {
  const components = document.components?.schemas ?? {};
  const isObject = (schema: Parameter['schema']): boolean => {
    if (!schema) return false;
    if (schema.$ref?.startsWith(COMPONENT_PREFIX)) return components[schema.$ref.slice(COMPONENT_PREFIX.length)]?.type === 'object';
    return schema.type === 'object';
  };
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(pathItem) as Operation[]) {
      // Object-valued query parameters (`pagination`) travel as `pagination[count]=10&pagination[cursor]=…`, the
      // encoding the SDKs use and OpenAPI calls deepObject; @fastify/swagger has only one style per operation.
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== 'query' || !isObject(parameter.schema)) continue;
        parameter.style = 'deepObject';
        parameter.explode = true;
        parameter.description ??= PARAMETER_DESCRIPTIONS[parameter.name ?? ''];
      }
      // @fastify/swagger marks every documented body as required; some operations treat a missing body as `{}`.
      if (operation[OPTIONAL_BODY_MARKER]) {
        if (operation.requestBody) operation.requestBody.required = false;
        delete operation[OPTIONAL_BODY_MARKER];
      }
    }
  }
  return document;
}
