import dgram from 'node:dgram';
import dns from 'node:dns';
import type { HostResolver } from '../src/net/outbound';

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP, RFC 1035 wire format) answering A records from a table,
 * NXDOMAIN for other names and an empty answer for other types. It lets tests resolve names such as
 * `hook.localtest.me` → 127.0.0.1 for real (Node's c-ares resolver over a socket) without the internet.
 */
export async function startDnsServer(records: Record<string, string>): Promise<{ port: number; resolver: HostResolver; close(): Promise<void> }> {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (q, from) => {
    if (q.length < 12) return;
    // The question: labels from offset 12, then QTYPE and QCLASS.
    const labels: string[] = [];
    let i = 12;
    while (i < q.length && q[i] !== 0) {
      const len = q[i]!;
      labels.push(q.subarray(i + 1, i + 1 + len).toString('latin1'));
      i += len + 1;
    }
    const qEnd = i + 5;
    const qtype = q.readUInt16BE(i + 1);
    const name = labels.join('.').toLowerCase();
    const address = records[name];
    const header = Buffer.alloc(12);
    q.copy(header, 0, 0, 2); // id
    const known = address !== undefined;
    const answer = known && qtype === 1;
    header.writeUInt16BE(known ? 0x8580 : 0x8583, 2); // response, authoritative, recursion desired/available; rcode 0 or 3
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answer ? 1 : 0, 6);
    const parts = [header, q.subarray(12, qEnd)];
    if (answer) {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
      rr.writeUInt16BE(1, 2); // A
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(60, 6); // TTL
      rr.writeUInt16BE(4, 10);
      address.split('.').forEach((o, k) => rr.writeUInt8(Number(o), 12 + k));
      parts.push(rr);
    }
    sock.send(Buffer.concat(parts), from.port, from.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const port = sock.address().port;
  const r = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
  r.setServers([`127.0.0.1:${port}`]);
  const resolver: HostResolver = async (host) => {
    const [a, aaaa] = await Promise.allSettled([r.resolve4(host), r.resolve6(host)]);
    const out = [...(a.status === 'fulfilled' ? a.value : []), ...(aaaa.status === 'fulfilled' ? aaaa.value : [])];
    if (!out.length && a.status === 'rejected') throw a.reason;
    return out;
  };
  return { port, resolver, close: () => new Promise<void>((res) => sock.close(() => res())) };
}
