// The error catalog: every failure the API can report has a stable code and one HTTP status.
// Services throw AppError; src/http/error-handler.ts is the one place that turns it into the envelope.

export const ERROR_STATUS = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'input-validation': 422,
  RequestError: 429,
  'internal-error': 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  field?: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  readonly data?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { issues?: FieldIssue[]; data?: Record<string, unknown> } = {}) {
    super(message);
    this.code = code;
    this.issues = options.issues ?? [{ message }];
    if (options.data) this.data = options.data;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export type ResourceKind =
  | 'Destination'
  | 'Subscription'
  | 'Source'
  | 'Destination metadata'
  | 'Source metadata'
  | 'Write key'
  | 'Workspace'
  | 'Token';

export function notFound(kind: ResourceKind, id: string, field?: string): AppError {
  const message = `${kind} with id '${id}' not found`;
  return new AppError('not-found', message, { issues: [{ message, ...(field ? { field } : {}) }] });
}

export function invalidInput(issues: FieldIssue[]): AppError {
  return new AppError('input-validation', issues[0]?.message ?? 'Invalid input', { issues });
}

export function invalidField(field: string, message: string): AppError {
  return invalidInput([{ field, message }]);
}

export function badRequest(message: string): AppError {
  return new AppError('bad-request', message);
}

export function forbidden(message: string): AppError {
  return new AppError('forbidden', message);
}
