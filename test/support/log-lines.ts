/** A structured log line, as the functions and the poller write them (Powertools Logger). */
export interface LogLine {
  level: string;
  message: string;
  service: string;
  [key: string]: unknown;
}

/** The JSON log lines in a process's output, skipping everything else it printed. */
export const logLines = (output: string): LogLine[] =>
  output.split('\n').flatMap((line) => {
    if (!line.startsWith('{"level"')) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
