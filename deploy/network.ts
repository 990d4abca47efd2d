import type { DeploySettings } from './settings.js';

/**
 * provider.vpc of serverless.yml, or null to leave the functions outside a VPC (a local run, a plain package). Each
 * function's role gets the network-interface actions this needs, and nothing broader (deploy/roles.ts).
 */
export const vpcConfig = (settings: DeploySettings): DeploySettings['vpc'] | null => settings.vpc ?? null;
