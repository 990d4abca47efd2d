import type { Config } from '../config.js';

/** Who may call an endpoint group: anyone (`open`), or holders of one of `keys` (none at all = closed). */
export type Access = { open: true } | { open: false; keys: string[] };

/** Writes are open until API_KEYS is set (so the quick start needs no key). */
export const writeAccess = (config: Config): Access =>
  config.apiKeys.length === 0 ? { open: true } : { open: false, keys: config.apiKeys };

/**
 * Reads use READ_API_KEYS. Once the service has any keys at all, reads without READ_API_KEYS are closed rather than
 * silently open: protecting writes but forgetting reads would publish every user's activity.
 */
export const readAccess = (config: Config): Access => {
  if (config.readApiKeys.length > 0) return { open: false, keys: config.readApiKeys };
  return config.apiKeys.length === 0 ? { open: true } : { open: false, keys: [] };
};

/**
 * The admin endpoints (the regulations API, issue 19) use ADMIN_API_KEYS only: a write or read key never opens them.
 * Open like the rest only while no key of any kind is configured (the local quick start); once any key is, they are
 * closed until ADMIN_API_KEYS is set.
 */
export const adminAccess = (config: Config): Access => {
  if (config.adminApiKeys.length > 0) return { open: false, keys: config.adminApiKeys };
  const anyKey = config.apiKeys.length > 0 || config.readApiKeys.length > 0;
  return anyKey ? { open: false, keys: [] } : { open: true };
};

/** The start-up warnings for open endpoint groups (logged once by whatever starts the service). */
export const accessWarnings = (config: Config): string[] => {
  const warnings: string[] = [];
  if (writeAccess(config).open) warnings.push('API_KEYS is not set: anyone who can reach the service can write events');
  if (readAccess(config).open)
    warnings.push('READ_API_KEYS is not set: anyone who can reach the service can read events');
  const read = readAccess(config);
  if (!read.open && read.keys.length === 0)
    warnings.push('READ_API_KEYS is not set while API_KEYS is: the read API is closed');
  const admin = adminAccess(config);
  if (admin.open)
    warnings.push(
      "ADMIN_API_KEYS is not set: anyone who can reach the service can delete and suppress a person's events",
    );
  else if (admin.keys.length === 0)
    warnings.push('ADMIN_API_KEYS is not set while other keys are: the regulations API is closed');
  return warnings;
};
