/* Benchmark support: CPU time of a process tree from /proc (Linux; zeros elsewhere). */
import fs from 'node:fs/promises';

/**
 * CPU seconds of a process and its descendants: each one's own time plus the time of the children it has reaped
 * (ffmpeg and espeak runs that ended), so short-lived tools are counted too — including those the process
 * launcher (media/launcher.ts), a live child, started and reaped.
 */
export async function cpuTree(pid: number): Promise<{ self: number; tree: number }> {
  const ticks = async (p: number) => {
    try {
      const f = (await fs.readFile(`/proc/${p}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      return { own: (Number(f[11]) + Number(f[12])) / 100, reaped: (Number(f[13]) + Number(f[14])) / 100 };
    } catch {
      return { own: 0, reaped: 0 }; // not Linux, or the process just ended
    }
  };
  const kids = async (p: number): Promise<number[]> => {
    try {
      const k = (await fs.readFile(`/proc/${p}/task/${p}/children`, 'utf8')).trim().split(/\s+/).filter(Boolean).map(Number);
      return (await Promise.all(k.map(async (c) => [c, ...(await kids(c))]))).flat();
    } catch {
      return [];
    }
  };
  const me = await ticks(pid);
  let tree = me.own + me.reaped;
  for (const k of await kids(pid)) {
    const t = await ticks(k);
    tree += t.own + t.reaped;
  }
  return { self: me.own, tree };
}

/** CPU seconds used so far by this process (process.cpuUsage, µs precision) and everything it started. */
export async function cpuSeconds(): Promise<number> {
  const own = process.cpuUsage();
  const t = await cpuTree(process.pid);
  return (own.user + own.system) / 1e6 + (t.tree - t.self);
}
