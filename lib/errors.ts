/** A field-level problem in a request or a queued message. */
export interface FieldError {
  field: string;
  message: string;
}

/** Why a write endpoint refused a request as a whole: the `reason` dimension of the EventsRejected metric. */
export type RefusalReason = 'validation' | 'size' | 'media_type' | 'auth';

export interface AppErrorOptions extends ErrorOptions {
  details?: FieldError[];
  /** Fields the response body carries beside the error envelope, e.g. a batch's per-event results. */
  body?: Record<string, unknown>;
  /** The intake already counted each event of the answer (lib/intake): the refusal must not count again. */
  eventsCounted?: boolean;
}

/** Seconds a client should wait before retrying a 503 (ours, or a dependency's outage). */
export const RETRY_AFTER = { 'Retry-After': '5' } as const;

/** Base class: every error we raise on purpose carries a name, and an HTTP status where it is an HTTP error. */
export class AppError extends Error {
  readonly statusCode: number = 500;
  readonly headers: Record<string, string> = {};
  readonly details: FieldError[];
  readonly body: Record<string, unknown>;
  /** Set where the error refuses a write request as a whole, before its events were counted one by one. */
  readonly refusal: RefusalReason | undefined;

  constructor(message: string, { details = [], body = {}, eventsCounted = false, ...options }: AppErrorOptions = {}) {
    super(message, options);
    this.details = details;
    this.body = body;
    this.refusal = eventsCounted ? undefined : this.refusalReason();
  }

  /** The refusal reason of this kind of error, if it is one. */
  protected refusalReason(): RefusalReason | undefined {
    return undefined;
  }
}

export class ConfigError extends AppError {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

/** A tracking plan (TRACKING_PLAN) that cannot be used: the file, where in it (a JSON path) and why. */
export class PlanError extends AppError {
  override name = 'PlanError';
  constructor(
    readonly file: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Invalid tracking plan ${file} at ${path}: ${reason}`);
  }
}

export class ValidationError extends AppError {
  override name = 'ValidationError';
  override readonly statusCode = 400;
  constructor(message: string, details: FieldError[], options?: Omit<AppErrorOptions, 'details'>) {
    super(message, { ...options, details });
  }
  protected override refusalReason(): RefusalReason {
    return 'validation';
  }
}

export class UnauthorizedError extends AppError {
  override name = 'UnauthorizedError';
  override readonly statusCode = 401;
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="user-activity"' };
  protected override refusalReason(): RefusalReason {
    return 'auth';
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  override readonly statusCode = 404;
}

export class UnsupportedMediaTypeError extends AppError {
  override name = 'UnsupportedMediaTypeError';
  override readonly statusCode = 415;
  constructor(message: string, details: FieldError[]) {
    super(message, { details });
  }
  protected override refusalReason(): RefusalReason {
    return 'media_type';
  }
}

export class PayloadTooLargeError extends AppError {
  override name = 'PayloadTooLargeError';
  override readonly statusCode = 413;
  constructor(readonly limitBytes: number) {
    super(`Request body must not exceed ${limitBytes} bytes (${limitBytes / 1024} KB)`);
  }
  protected override refusalReason(): RefusalReason {
    return 'size';
  }
}

/** A service we depend on did not answer in time: 503, and the client may retry after a pause. */
export class DependencyUnavailableError extends AppError {
  override name = 'DependencyUnavailableError';
  override readonly statusCode = 503;
  override readonly headers: Record<string, string> = { ...RETRY_AFTER };
}

/** The broker did not take responsibility for a message: unreachable, unroutable, nacked or no confirm in time. */
export class PublishError extends DependencyUnavailableError {
  override name = 'PublishError';
}

/** Some events of a batch fail on their own with a non-transient database error; the rest were stored. */
export class UnstorableEventsError extends AppError {
  override name = 'UnstorableEventsError';
  constructor(
    readonly eventIds: string[],
    options?: ErrorOptions,
  ) {
    super(`${eventIds.length} event(s) cannot be stored: ${eventIds.join(', ')}`, options);
  }
}

/** A Segment-format call without a valid write key (sent as HTTP Basic auth username or as `writeKey` in the body). */
export class WriteKeyError extends UnauthorizedError {
  override name = 'WriteKeyError';
  override readonly headers = { 'WWW-Authenticate': 'Basic realm="user-activity"' };
}
