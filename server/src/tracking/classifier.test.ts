import { describe, expect, it } from 'vitest';
import { classify, type ClassifyInput } from './classifier';
import { IpRanges } from './ip-ranges';

const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const EDGE_WIN = `${CHROME_WIN} Edg/131.0.0.0`;
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const APPLE_MAIL = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';
const GMAIL_PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const OUTLOOK_DESKTOP = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)';

type Row = [string, ClassifyInput, 'human' | 'machine' | 'unknown', string];

// Real user agents as logged by mail and web servers; IPs from the vendors' published ranges or documentation ranges.
const TABLE: Row[] = [
  ['Apple MPP prefetch (bare UA from Apple)', { type: 'open', userAgent: 'Mozilla/5.0', ip: '17.58.101.4', secondsSinceDelivery: 1 }, 'machine', 'apple_mpp_prefetch'],
  ['Apple MPP prefetch (Mail UA from Apple, hours later)', { type: 'open', userAgent: APPLE_MAIL, ip: '17.143.167.12', secondsSinceDelivery: 7200 }, 'machine', 'apple_mpp_prefetch'],
  ['Apple Mail without MPP on a home line', { type: 'open', userAgent: APPLE_MAIL, ip: '203.0.113.40', secondsSinceDelivery: 900 }, 'human', 'browser'],
  ['Gmail image proxy when the message is shown', { type: 'open', userAgent: GMAIL_PROXY, ip: '66.249.84.129', secondsSinceDelivery: 3600 }, 'unknown', 'mail_image_proxy'],
  ['Gmail image proxy right after delivery', { type: 'open', userAgent: GMAIL_PROXY, ip: '66.249.84.130', secondsSinceDelivery: 2 }, 'machine', 'proxy_prefetch_on_delivery'],
  ['SafeLinks detonation from Exchange Online', { type: 'click', userAgent: EDGE_WIN, ip: '40.94.29.12', secondsSinceDelivery: 4, burstLinks: 3 }, 'machine', 'scanner_network:microsoft_eop'],
  ['SafeLinks scan from an unlisted Azure address: burst across all links', { type: 'click', userAgent: CHROME_WIN, ip: '20.81.111.85', secondsSinceDelivery: 40, burstLinks: 3 }, 'machine', 'link_burst'],
  ['Scanner click seconds after delivery', { type: 'click', userAgent: CHROME_WIN, ip: '20.81.111.85', secondsSinceDelivery: 3 }, 'machine', 'too_soon_after_delivery'],
  ['Office link preview', { type: 'click', userAgent: 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)', ip: '198.51.100.7' }, 'machine', 'office_link_preview'],
  ['Proofpoint URL defense', { type: 'click', userAgent: CHROME_WIN, ip: '148.163.150.20', secondsSinceDelivery: 30 }, 'machine', 'scanner_network:proofpoint'],
  ['Mimecast by IPv4', { type: 'open', userAgent: CHROME_WIN, ip: '205.139.110.61' }, 'machine', 'scanner_network:mimecast'],
  ['Barracuda by user agent', { type: 'click', userAgent: 'Barracuda Sentinel (EE)', ip: '198.51.100.9' }, 'machine', 'security_scanner'],
  ['Exchange Online over IPv6', { type: 'click', userAgent: EDGE_WIN, ip: '2a01:111:f403:2412::1' }, 'machine', 'scanner_network:microsoft_eop'],
  ['Slack unfurl', { type: 'click', userAgent: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', ip: '54.209.1.1' }, 'machine', 'link_preview'],
  ['Twitter card fetch', { type: 'open', userAgent: 'Twitterbot/1.0', ip: '199.16.157.180' }, 'machine', 'link_preview'],
  ['curl', { type: 'click', userAgent: 'curl/8.5.0', ip: '198.51.100.1' }, 'machine', 'http_library'],
  ['python-requests', { type: 'open', userAgent: 'python-requests/2.32.3', ip: '198.51.100.1' }, 'machine', 'http_library'],
  ['headless Chrome running the player', { type: 'play', userAgent: CHROME_WIN.replace('Chrome/', 'HeadlessChrome/'), ip: '198.51.100.2', secondsSincePageLoad: 8 }, 'machine', 'headless_browser'],
  ['HEAD request on the page', { type: 'click', userAgent: CHROME_WIN, ip: '203.0.113.5', method: 'HEAD' }, 'machine', 'head_request'],
  ['no user agent', { type: 'open', userAgent: '', ip: '203.0.113.5' }, 'machine', 'no_user_agent'],
  ['normal desktop browser opens the page', { type: 'click', userAgent: CHROME_WIN, ip: '203.0.113.77', secondsSinceDelivery: 1800, burstLinks: 1 }, 'human', 'browser'],
  ['normal desktop browser plays', { type: 'play', userAgent: CHROME_WIN, ip: '203.0.113.77', secondsSincePageLoad: 9 }, 'human', 'browser'],
  ['phone (iPhone Safari) plays to the end', { type: 'complete', userAgent: IPHONE, ip: '2001:db8:85a3::8a2e:370:7334', secondsSincePageLoad: 50 }, 'human', 'browser'],
  ['phone (Android Chrome) opens the link', { type: 'click', userAgent: ANDROID, ip: '198.51.100.200', secondsSinceDelivery: 600 }, 'human', 'browser'],
  ['Outlook desktop loads the thumbnail', { type: 'open', userAgent: OUTLOOK_DESKTOP, ip: '203.0.113.90', secondsSinceDelivery: 300 }, 'human', 'mail_client'],
  ['play beacon faster than playback allows', { type: 'play', userAgent: CHROME_WIN, ip: '203.0.113.77', secondsSincePageLoad: 0.5 }, 'machine', 'impossible_timing'],
  ['an unrecognised client', { type: 'open', userAgent: 'SomeMailFetcher/2.1', ip: '203.0.113.3' }, 'unknown', 'unrecognised_client'],
];

describe('classify', () => {
  it.each(TABLE)('%s', (_name, input, classification, reason) => {
    expect(classify(input)).toEqual({ classification, reason });
  });

  it('matches IPv4, IPv4-mapped IPv6 and IPv6 addresses against the shipped ranges', () => {
    const r = new IpRanges();
    expect(r.lookup('17.0.0.1')).toBe('apple_mpp');
    expect(r.lookup('::ffff:17.0.0.1')).toBe('apple_mpp');
    expect(r.lookup('18.0.0.1')).toBeNull();
    expect(r.lookup('2a00:1450:4001:82b::200e')).toBe('google_proxy');
    expect(r.lookup('2a00:1451::1')).toBeNull();
    expect(r.lookup('not-an-ip')).toBeNull();
    expect(r.lookup(undefined)).toBeNull();
  });
});
