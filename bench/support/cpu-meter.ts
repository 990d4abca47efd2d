import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { cpuSeconds, machineCpuSeconds, pidsNamed } from '../../tools/proc.js';

export type CpuShare = Record<string, number>;

/**
 * How many cores each party used during a stage: the server under test and its persist runners, the load generator (this process),
 * RabbitMQ (beam.smp), MariaDB/MySQL, and everything else on the machine ("other processes": anything large there
 * means something unrelated competed with the run and its figures are not clean).
 */
export const startCpuMeter = (server?: { label: string; pid: number; runners?: number[] }): (() => CpuShare) => {
  const parties = [
    ...(server ? [{ label: server.label, pid: server.pid }] : []),
    // The local runtime's persist runners (processes of their own beside the HTTP server).
    ...(server?.runners ?? []).map((pid) => ({ label: 'persist runners', pid })),
    ...pidsNamed(['beam.smp']).map(({ pid }) => ({ label: 'rabbitmq', pid })),
    ...pidsNamed(['mariadbd', 'mysqld']).map(({ pid }) => ({ label: 'mysql', pid })),
  ];
  const before = parties.map(({ pid }) => cpuSeconds(pid));
  const ownBefore = process.cpuUsage();
  const machineBefore = machineCpuSeconds().busy;
  const begun = performance.now();
  return () => {
    const wall = (performance.now() - begun) / 1000;
    const own = process.cpuUsage(ownBefore);
    const share: CpuShare = { 'bench (load generator)': (own.user + own.system) / 1e6 / wall };
    parties.forEach(({ label, pid }, i) => {
      // A process that came or went meanwhile (rabbitmqctl is a beam.smp too) counts as "other processes".
      const used = (cpuSeconds(pid) - (before[i] as number)) / wall;
      if (Number.isFinite(used)) share[label] = (share[label] ?? 0) + used;
    });
    const accounted = Object.values(share).reduce((sum, cores) => sum + cores, 0);
    share['other processes'] = Math.max(0, (machineCpuSeconds().busy - machineBefore) / wall - accounted);
    return Object.fromEntries(Object.entries(share).map(([k, v]) => [k, Math.round(v * 100) / 100]));
  };
};

export const formatCpu = (share: CpuShare): string =>
  Object.entries(share)
    .map(([label, cores]) => `${label} ${cores.toFixed(2)}`)
    .join(', ');
