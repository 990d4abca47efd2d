/** A field-level problem in a request or a queued message. */
export interface FieldError {
  field: string;
  message: string;
}

/** Base class: every error we raise on purpose carries a name, and an HTTP status where it is an HTTP error. */
export class AppError extends Error {
  readonly statusCode: number = 500;
  readonly details: FieldError[] = [];
  readonly headers: Record<string, string> = {};
}

export class ConfigError extends AppError {
  override name = 'ConfigError';
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

export class ValidationError extends AppError {
  override name = 'ValidationError';
  override readonly statusCode = 400;
  constructor(message: string, override readonly details: FieldError[], options?: ErrorOptions) {
    super(message, options);
  }
}

export class UnauthorizedError extends AppError {
  override name = 'UnauthorizedError';
  override readonly statusCode = 401;
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="user-activity"' };
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  override readonly statusCode = 404;
}

export class UnsupportedMediaTypeError extends AppError {
  override name = 'UnsupportedMediaTypeError';
  override readonly statusCode = 415;
  constructor(message: string, override readonly details: FieldError[]) {
    super(message);
  }
}

export class PayloadTooLargeError extends AppError {
  override name = 'PayloadTooLargeError';
  override readonly statusCode = 413;
  constructor(readonly limitBytes: number) {
    super(`Request body must not exceed ${limitBytes} bytes (${limitBytes / 1024} KB)`);
  }
}

/** A service we depend on did not answer in time: 503, and the client may retry after a pause. */
export class DependencyUnavailableError extends AppError {
  override name = 'DependencyUnavailableError';
  override readonly statusCode = 503;
  override readonly headers = { 'Retry-After': '5' };
}

/** The broker did not take responsibility for a message: unreachable, unroutable, nacked or no confirm in time. */
export class PublishError extends DependencyUnavailableError {
  override name = 'PublishError';
}

/** Some events of a batch fail on their own with a non-transient database error; the rest were stored. */
export class UnstorableEventsError extends AppError {
  override name = 'UnstorableEventsError';
  constructor(readonly eventIds: string[], options?: ErrorOptions) {
    super(`${eventIds.length} event(s) cannot be stored: ${eventIds.join(', ')}`, options);
  }
}
