import { Logger } from '@aws-lambda-powertools/logger';
import { getConfig } from '../config.js';

export const SERVICE_NAME = 'user-activity';

/**
 * One JSON line per entry (level, time, service, and inside an invocation the function, its request id and the HTTP
 * request id as `correlation_id`). At INFO the hot path writes nothing per accepted event: a line per failure, per
 * persist batch; DEBUG adds one per event. Neither API keys nor request bodies are ever logged.
 */
export const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: getConfig().logLevel });

/** Whether per-event lines are wanted (checked once per request, not per event). */
export const isDebugEnabled = (): boolean => logger.getLevelName() === 'DEBUG';

/**
 * An error's message as a log line may carry it. Drizzle's "Failed query: <statement> params: <values>" quotes the
 * values of the row (a person's metadata and ids), and the database's own messages may quote a value too ("Duplicate
 * entry '…'", "Incorrect string value: '…'"): of those only the error code is kept (issue 19).
 */
const loggableMessage = (error: Error): string => {
  const { code, cause } = error as Error & { code?: unknown };
  if (error.message.startsWith('Failed query:')) {
    const inner = (cause as { code?: unknown } | undefined)?.code;
    return `Failed query (statement and values not logged)${typeof inner === 'string' ? `: ${inner}` : ''}`;
  }
  if (typeof code === 'string' && 'sqlMessage' in error) return `${code} (database message not logged)`;
  return error.message;
};

/** What a log line says of an error: its name, message and cause's message, never the request it came from. */
export const describeError = (error: unknown): Record<string, string> => {
  if (!(error instanceof Error)) return { error: String(error) };
  const described: Record<string, string> = { error: `${error.name}: ${loggableMessage(error)}` };
  if (error.cause instanceof Error) described.cause = `${error.cause.name}: ${loggableMessage(error.cause)}`;
  return described;
};
