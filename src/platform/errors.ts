/**
 * Typed error vocabulary. Every user-visible message is Simplified Chinese; `code` is for programs.
 * An id outside the caller's scope answers 404 (notFound), never 403, so existence is not leaked.
 */
export const ERROR_CODES = {
  validation: 400, // input failed the contract schema; `fields` maps field → message
  unauthenticated: 401, // no valid session
  forbidden: 403, // the role lacks the permission
  notFound: 404, // missing, or outside the caller's scope
  conflict: 409, // a duplicate or a state that forbids the change
  payloadTooLarge: 413, // an upload over the size limit
  locked: 423, // login locked after repeated failures
  tooManyRequests: 429, // address throttled
  importRejected: 422, // an import with bad rows: nothing stored, rows reported
  unavailable: 503, // a capability the server lacks (e.g. LibreOffice for PDF); the message says what to install
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export const notFound = (what = '记录') => new AppError('notFound', `${what}不存在或不在您的管理范围内`);
export const forbidden = (msg = '您没有执行此操作的权限') => new AppError('forbidden', msg);
export const conflict = (msg: string, details?: Record<string, unknown>) => new AppError('conflict', msg, details);
export const invalid = (msg: string, fields?: Record<string, string>) => new AppError('validation', msg, { fields });
