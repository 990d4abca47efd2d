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

/** What a log line says of an error: its name, message and cause's message, never the request it came from. */
export const describeError = (error: unknown): Record<string, string> => {
  if (!(error instanceof Error)) return { error: String(error) };
  const described: Record<string, string> = { error: `${error.name}: ${error.message}` };
  if (error.cause instanceof Error) described.cause = `${error.cause.name}: ${error.cause.message}`;
  return described;
};
