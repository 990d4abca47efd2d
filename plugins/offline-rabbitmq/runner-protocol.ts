/** What the local runtime tells a persist runner process (runner-main.ts) about the function it runs. */
export interface RunnerSpec {
  /** The function's key in serverless.yml (`persist`), as serverless offline names it in its invocation lines. */
  functionKey: string;
  /** The deployed function's name (`user-activity-tracking-dev-persist`), the context's functionName. */
  functionName: string;
  /** serverless.yml's `handler`: a module path from the service folder and the export (`functions/persist/handler.handler`). */
  handler: string;
  /** The folder the handler path starts from: the local build's, or the service's (the sources). */
  servicePath: string;
  timeoutMs: number;
  memorySize: number;
}

/** Parent to runner: run the function once with this event. */
export interface InvokeRequest {
  id: number;
  event: unknown;
}

/** Runner to parent: how that invocation ended. */
export type InvokeReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };
