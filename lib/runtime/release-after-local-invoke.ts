import type { MiddlewareObj } from '@middy/core';
import { getConfig } from '../config.js';
import { closeConnections } from './connections.js';

/**
 * Connections normally outlive an invocation (a warm Lambda reuses them). Under `serverless invoke local` the
 * process would then never exit, so there they are closed once the invocation is over.
 */
export const releaseAfterLocalInvoke = (): MiddlewareObj => {
  const release = async () => {
    if (getConfig().localInvoke) await closeConnections();
  };
  return { after: release, onError: release };
};
