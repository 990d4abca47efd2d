/**
 * The process's open connections, each registered by the module that opened it (broker.ts, database.ts), so that
 * closing them does not make a function bundle a driver it never uses.
 */
const closers = new Set<() => Promise<unknown>>();

export const onClose = (close: () => Promise<unknown>): void => {
  closers.add(close);
};

/** Closes whatever was opened; used after a local invoke. */
export const closeConnections = async (): Promise<void> => {
  const all = [...closers];
  closers.clear();
  await Promise.allSettled(all.map((close) => close()));
};
