import type { Classification, TrackEventType } from '../db/tables/tracking';
import { IpRanges } from './ip-ranges';
import type { RangeSource } from './ip-ranges.data';

/** Seconds after delivery during which an image fetch or link hit is a gateway scan or prefetch, not a person. */
export const DELIVERY_WINDOW_SEC = 10;
/** Distinct links of one message hit by one client inside the burst window that marks a scanner. */
export const BURST_LINKS = 2;
export const BURST_WINDOW_MS = 2000;

export interface ClassifyInput {
  type: TrackEventType;
  userAgent: string | undefined;
  ip: string | undefined;
  method?: string;
  /** Seconds between the recipient's delivery and this event (null when delivery is unknown). */
  secondsSinceDelivery?: number | null;
  /** Distinct links (page, poster, gif) of the same message hit by the same client within BURST_WINDOW_MS. */
  burstLinks?: number;
  /** For beacons: seconds between the page render and this beacon. */
  secondsSincePageLoad?: number | null;
}

export interface Verdict {
  classification: Classification;
  reason: string;
}

const PATTERNS: [RegExp, string][] = [
  [/HeadlessChrome|PhantomJS|Puppeteer|Playwright|Lighthouse|Selenium|webdriver|Electron\/.*Headless/i, 'headless_browser'],
  [/^(curl|wget|python|Go-http-client|okhttp|axios|node-fetch|node|undici|Java|libwww|lwp|Apache-HttpClient|HTTPie|Ruby|PHP|Scrapy|Deno|Bun)\b/i, 'http_library'],
  [/Slackbot|Slack-ImgProxy|Twitterbot|facebookexternalhit|facebookcatalog|LinkedInBot|WhatsApp|Discordbot|TelegramBot|SkypeUriPreview|Iframely|Embedly|redditbot|Pinterestbot|vkShare|Teams(?:Bot)?-?LinkPreview|MicrosoftPreview/i, 'link_preview'],
  [/Proofpoint|Mimecast|Barracuda|SafeLinks|Cisco|IronPort|Trend ?Micro|Sophos|Forcepoint|Symantec|Zscaler|Palo ?Alto|FireEye|Trustwave|Fortinet/i, 'security_scanner'],
  [/ms-office|MSOffice|Microsoft Office (?:Protocol|Existence) Discovery|Microsoft Office Word|Microsoft Office Excel/i, 'office_link_preview'],
  [/bot\b|crawler|spider|scanner|preview|monitor|uptime|validator|checker|archiver/i, 'bot_user_agent'],
];

const BROWSER = /^Mozilla\/5\.0 \((?:Windows|Macintosh|iPhone|iPad|iPod|Android|Linux|X11|CrOS|Mobile|Tablet)[^)]*\)/;
const MAIL_CLIENT = /Microsoft Outlook|Outlook-(?:iOS|Android)|Thunderbird|YahooMobileMail|Airmail|Spark/;
const SCANNER_RANGES: RangeSource[] = ['microsoft_eop', 'proofpoint', 'mimecast', 'barracuda'];
/** The bundled data file (ip-ranges.json), read on the first event rather than at start. */
let defaultRanges: IpRanges | undefined;

const human = (reason: string): Verdict => ({ classification: 'human', reason });
const machine = (reason: string): Verdict => ({ classification: 'machine', reason });
const unknown = (reason: string): Verdict => ({ classification: 'unknown', reason });

/**
 * Decides human | machine | unknown for one event from its user agent, source network and timing.
 * Pure: the caller supplies delivery time, burst size and page-load time.
 */
export function classify(input: ClassifyInput, ranges: IpRanges = (defaultRanges ??= new IpRanges())): Verdict {
  const ua = (input.userAgent ?? '').trim();
  const source = ranges.lookup(input.ip);
  const isOpen = input.type === 'open';
  const isBeacon = input.type !== 'open' && input.type !== 'click';
  const soon = input.secondsSinceDelivery != null && input.secondsSinceDelivery >= 0 && input.secondsSinceDelivery < DELIVERY_WINDOW_SEC;

  if (input.method === 'HEAD') return machine('head_request');
  if (!ua) return machine('no_user_agent');

  // Gmail/Yahoo fetch images through a caching proxy when the message is shown, and sometimes right after
  // delivery: a proxied open may be a person, so it is "unknown" unless it comes inside the delivery window.
  if (/GoogleImageProxy|ggpht\.com|YahooMailProxy/i.test(ua)) {
    if (!isOpen) return machine('mail_image_proxy');
    return soon ? machine('proxy_prefetch_on_delivery') : unknown('mail_image_proxy');
  }
  for (const [re, reason] of PATTERNS) if (re.test(ua)) return machine(reason);

  if (source === 'apple_mpp' && (isOpen || ua === 'Mozilla/5.0')) return machine('apple_mpp_prefetch');
  // Mail Privacy Protection loads images through Private Relay; its page views and plays are Safari users.
  if (source === 'apple_private_relay' && isOpen) return machine('apple_mpp_prefetch');
  if (source === 'google_crawler') return machine('google_crawler');
  if (ua === 'Mozilla/5.0') return machine('bare_user_agent');
  if (source && SCANNER_RANGES.includes(source)) return machine(`scanner_network:${source}`);
  if (source === 'google_proxy') return isOpen ? unknown('mail_image_proxy') : machine('google_network');

  if (!isBeacon && (input.burstLinks ?? 1) >= BURST_LINKS) return machine('link_burst');
  if (!isBeacon && soon) return machine('too_soon_after_delivery');
  // The player reports "play" only after 3 s of playback, so an earlier beacon was not produced by watching.
  if (input.type === 'play' && input.secondsSincePageLoad != null && input.secondsSincePageLoad < 2.5) {
    return machine('impossible_timing');
  }

  if (BROWSER.test(ua)) return human('browser');
  if (isOpen && MAIL_CLIENT.test(ua)) return human('mail_client');
  return unknown('unrecognised_client');
}
