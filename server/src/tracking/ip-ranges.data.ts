/**
 * Known proxy, prefetch and link-scanner egress ranges, shipped as data.
 *
 * SNAPSHOT: 2026-11-27, compiled by hand from the vendors' published lists named per entry.
 * These lists change; a stale entry only makes a few events "unknown" instead of "machine".
 * HOW TO UPDATE: re-read each `source`, edit the CIDRs here (IPv4 and IPv6 both work), bump SNAPSHOT_DATE,
 * and run `npx vitest run server/src/tracking/classifier.test.ts`. Apple's full iCloud Private Relay egress
 * list (https://mask-api.icloud.com/egress-ip-ranges.csv, ~10 MB) is deliberately NOT included: Private Relay
 * also carries real Safari users, so only Apple's own 17.0.0.0/8 (where Mail Privacy Protection prefetches
 * originate) is marked as a prefetcher.
 */
export const SNAPSHOT_DATE = '2026-11-27';

export type RangeSource = 'google_proxy' | 'apple_mpp' | 'microsoft_eop' | 'proofpoint' | 'mimecast' | 'barracuda';

export interface RangeList {
  source: RangeSource;
  /** Where the list comes from, so the next person can refresh it. */
  origin: string;
  cidrs: string[];
}

export const PROXY_RANGES: RangeList[] = [
  {
    source: 'google_proxy',
    origin: 'Google netblocks (dig TXT _netblocks.google.com / _spf.google.com); GoogleImageProxy egresses from these',
    cidrs: [
      '64.233.160.0/19', '66.102.0.0/20', '66.249.80.0/20', '72.14.192.0/18', '74.125.0.0/16', '108.177.8.0/21',
      '173.194.0.0/16', '209.85.128.0/17', '216.58.192.0/19', '216.239.32.0/19', '172.217.0.0/19',
      '2001:4860:4000::/36', '2404:6800:4000::/36', '2607:f8b0:4000::/36', '2800:3f0:4000::/36', '2a00:1450:4000::/36',
    ],
  },
  {
    source: 'apple_mpp',
    origin: "Apple's own network (ARIN: APPLE-WWNET 17.0.0.0/8); Mail Privacy Protection prefetches come from here",
    cidrs: ['17.0.0.0/8'],
  },
  {
    source: 'microsoft_eop',
    origin: 'Microsoft 365 URLs and IP ranges, Exchange Online (endpoints id 1/2/9), https://aka.ms/o365ip',
    cidrs: [
      '40.92.0.0/15', '40.107.0.0/16', '52.100.0.0/14', '104.47.0.0/17', '40.94.0.0/16', '13.107.6.152/31',
      '13.107.18.10/31', '13.107.128.0/22', '23.103.160.0/20', '40.96.0.0/13', '40.104.0.0/15', '52.96.0.0/14',
      '131.253.33.215/32', '132.245.0.0/16', '150.171.32.0/22', '204.79.197.215/32',
      '2a01:111:f400::/48', '2a01:111:f403::/48', '2603:1006::/40', '2603:1016::/36', '2603:1026::/36',
      '2603:1036::/36', '2603:1046::/36', '2603:1056::/36', '2620:1ec:4::152/128', '2620:1ec:c::10/128',
    ],
  },
  {
    source: 'proofpoint',
    origin: 'Proofpoint Protection Server / Essentials published egress (pphosted.com)',
    cidrs: ['67.231.144.0/20', '148.163.128.0/19', '208.84.64.0/21', '208.86.200.0/22', '185.183.28.0/22', '185.132.180.0/22'],
  },
  {
    source: 'mimecast',
    origin: 'Mimecast "Data Centers and URLs" article, US/EU/UK gateway ranges',
    cidrs: ['205.139.110.0/24', '207.211.30.0/24', '207.211.31.0/25', '170.10.128.0/24', '170.10.129.0/24', '91.220.42.0/24', '195.130.217.0/24', '185.58.84.0/22', '146.101.78.0/24'],
  },
  {
    source: 'barracuda',
    origin: 'Barracuda Email Security Service egress (campus.barracuda.com, "Email Gateway Defense IP ranges")',
    cidrs: ['64.235.144.0/20', '209.222.80.0/21', '35.157.190.224/27', '209.222.82.0/24', '64.235.150.0/24'],
  },
];
