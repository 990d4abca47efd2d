import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Linux /proc readers. A Node process and its worker threads are one process, so VmRSS of serverless offline's
 * pid covers the HTTP server, the poller and every Lambda worker thread.
 */
const CLOCK_TICKS_PER_SECOND = 100;

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** Resident set size in bytes, or NaN once the process is gone. */
export const rssBytes = (pid: number): number => {
  const match = readText(`/proc/${pid}/status`)?.match(/^VmRSS:\s+(\d+) kB/m);
  return match ? Number(match[1]) * 1024 : Number.NaN;
};

/** The highest resident set size the process has reached so far (VmHWM), in bytes, or NaN once it is gone. */
export const peakRssBytes = (pid: number): number => {
  const match = readText(`/proc/${pid}/status`)?.match(/^VmHWM:\s+(\d+) kB/m);
  return match ? Number(match[1]) * 1024 : Number.NaN;
};

/** Threads of the process (Node's own plus one per worker thread). */
export const threadCount = (pid: number): number => {
  const match = readText(`/proc/${pid}/status`)?.match(/^Threads:\s+(\d+)/m);
  return match ? Number(match[1]) : Number.NaN;
};

/** CPU seconds (user + system) the process has used so far. */
export const cpuSeconds = (pid: number): number => {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return Number.NaN;
  // The command name may contain spaces; the fields after it are fixed. utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
};

/** Direct and indirect children of `pid` (e.g. the esbuild service serverless-esbuild starts). */
export const descendants = (pid: number): number[] => {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readText(`/proc/${entry}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
};

/** Pids whose command name is one of `names` (read-only look-up, e.g. the broker's and database's servers). */
export const pidsNamed = (names: string[]): Array<{ pid: number; name: string }> =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => ({ pid: Number(entry), name: readText(`/proc/${entry}/comm`)?.trim() ?? '' }))
    .filter(({ name }) => names.includes(name));

/** Busy and total CPU seconds of the whole machine, all cores together (from /proc/stat). */
export const machineCpuSeconds = (): { busy: number; total: number } => {
  const fields = (readText('/proc/stat') ?? '').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal …: idle and iowait are the only idle ones.
  const total = fields.slice(0, 8).reduce((sum, n) => sum + n, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: (total - idle) / CLOCK_TICKS_PER_SECOND, total: total / CLOCK_TICKS_PER_SECOND };
};

/** The command line of a process, its arguments joined by spaces ('' once it is gone). */
export const commandLine = (pid: number): string =>
  (readText(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ').trim();

// TCP state 0A is LISTEN (include/net/tcp_states.h).
const TCP_LISTEN = '0A';

/**
 * The TCP ports `pid` listens on (IPv4 and IPv6), from the sockets among its open files: what another process, or a
 * web page, could connect to.
 */
export const listeningTcpPorts = (pid: number): number[] => {
  let descriptors: string[];
  try {
    descriptors = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes = new Set(
    descriptors.flatMap((fd) => {
      try {
        return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? ''];
      } catch {
        return [];
      }
    }),
  );
  const ports = new Set<number>();
  for (const table of [`/proc/${pid}/net/tcp`, `/proc/${pid}/net/tcp6`]) {
    for (const line of (readText(table) ?? '').split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      if (fields[3] === TCP_LISTEN && inodes.has(fields[9] ?? ''))
        ports.add(Number.parseInt(fields[1]?.split(':')[1] ?? '', 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
};
