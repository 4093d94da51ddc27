import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/*
 * Outbound requests to URLs that users typed (webhook endpoints). Without a guard, a tenant admin could
 * point a webhook at the cloud metadata service, the database or any service on our private network and
 * use our server to reach it (SSRF). The guard checks every address the host name resolves to at the
 * moment of connecting (so DNS rebinding between a check and the connection does not help), and literal
 * IP hosts before connecting.
 */

const blocked = new net.BlockList();
for (const [addr, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(addr, prefix, 'ipv4');
}
for (const [addr, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 can reach IPv4 private space
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(addr, prefix, 'ipv6');
}

/** True for loopback, private, link-local, CGNAT, multicast and reserved addresses (IPv4-mapped IPv6 too). */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true; // not an IP at all: refuse rather than guess
}

export class BlockedAddressError extends Error {
  readonly code = 'blocked_address';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a private or reserved address; set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow it`);
  }
}

/** The host of a URL without IPv6 brackets. */
const hostOf = (u: URL) => u.hostname.replace(/^\[(.*)\]$/, '$1');

/** Throws BlockedAddressError for a URL whose host is a literal private IP or `localhost`. */
export function assertPublicHost(url: URL): void {
  const host = hostOf(url);
  if (host === 'localhost' || host.endsWith('.localhost')) throw new BlockedAddressError(host, '127.0.0.1');
  if (net.isIP(host) && isPrivateAddress(host)) throw new BlockedAddressError(host, host);
}

/** Resolves a host name to its addresses (the system resolver by default; tests point one at a local DNS server). */
export type HostResolver = (host: string) => Promise<string[]>;

/** The system resolver, as connections use it (getaddrinfo: /etc/hosts, then DNS). */
export const systemResolver: HostResolver = async (host) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Resolution errors that mean "this name has no address (yet)", not "the resolver broke". */
const NO_ADDRESS = new Set(['ENOTFOUND', 'ENODATA', 'EAI_AGAIN', 'EAI_NONAME', 'ESERVFAIL', 'ETIMEOUT', 'ECONNREFUSED', 'ENONAME', 'NOTFOUND', 'SERVFAIL', 'TIMEOUT', 'CONNREFUSED']);

/**
 * Throws BlockedAddressError when the URL's host is private (literal, `localhost`) or a name that resolves to
 * any private address now. A name that does not resolve (yet) passes: deliveries check again at connect
 * time, so it cannot later point somewhere private either. The lookup is bounded by `timeoutMs`.
 */
export async function assertPublicUrl(url: URL, resolve: HostResolver = systemResolver, timeoutMs = 3000): Promise<void> {
  assertPublicHost(url);
  const host = hostOf(url);
  if (net.isIP(host)) return;
  let addresses: string[];
  try {
    let timer: NodeJS.Timeout | undefined;
    addresses = await Promise.race([
      resolve(host),
      new Promise<string[]>((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error('lookup timed out'), { code: 'ETIMEOUT' })), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
  } catch (e) {
    if (NO_ADDRESS.has(String((e as NodeJS.ErrnoException).code))) return;
    throw e;
  }
  const bad = addresses.find((a) => isPrivateAddress(a));
  if (bad) throw new BlockedAddressError(host, bad);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A net.connect `lookup` that fails the connection when any resolved address is private. */
function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(new BlockedAddressError(hostname, bad.address), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

export interface PostResult {
  status: number;
}

/**
 * POSTs `body` to `url` and resolves with the status once the answer's headers arrive (the body is
 * discarded). Redirects are not followed. Unless `allowPrivate`, private and reserved addresses are refused.
 */
export function postOutbound(
  url: string,
  opts: { headers: Record<string, string>; body: string; signal?: AbortSignal; allowPrivate: boolean },
): Promise<PostResult> {
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return Promise.reject(new Error(`unsupported protocol ${u.protocol}`));
  if (!opts.allowPrivate) {
    try {
      assertPublicHost(u);
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
        signal: opts.signal,
        ...(opts.allowPrivate ? {} : { lookup: guardedLookup as never }),
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
