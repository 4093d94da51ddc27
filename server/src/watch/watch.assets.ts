import { createHash } from 'node:crypto';

/** Inline CSS of the watch page (small, no external fonts). */
export const WATCH_CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f4f5f7;color:#1d2330}
main{max-width:760px;margin:0 auto;padding:16px}header{display:flex;align-items:center;gap:12px;margin:8px 0 16px}
.av{width:48px;height:48px;border-radius:50%;object-fit:cover;background:#c9d1e0;flex:none;display:flex;align-items:center;justify-content:center;font-weight:600}
h1{font-size:1.25rem;margin:0}.from{color:#5a6475;font-size:.9rem}
video{display:block;width:100%;max-height:80vh;background:#000;border-radius:10px}
.ai{display:inline-block;margin:10px 0;padding:2px 10px;border-radius:999px;background:#fff3cd;color:#6b4e00;font-size:.85rem}
.cta{display:block;margin:14px 0;padding:14px 18px;border-radius:10px;background:#1f5eff;color:#fff;text-align:center;font-weight:600;text-decoration:none}
.cta:focus,.cta:hover{background:#1748c4}section{background:#fff;border-radius:10px;padding:4px 18px 12px;margin-top:12px}
h2{font-size:1rem;color:#5a6475}.brand{margin:4px 0 0}.brand img{display:block;max-height:40px;max-width:200px;width:auto;height:auto}.msg{text-align:center;padding:12vh 16px}.msg h1{font-size:1.5rem;margin-bottom:8px}
@media (max-width:480px){main{padding:8px}h1{font-size:1.05rem}}`;

/**
 * Player reporting: `play` after 3 s of real playback (or 90 % of a shorter clip), `progress` at 25/50/75/100 % of the
 * furthest point reached by continuous playback (seeking ahead does not count), `complete` on end, `cta` on click.
 * Each is sent once per page view with navigator.sendBeacon; the signed token comes from data-t.
 * `pos` (the watch-through curve) is that furthest point in whole seconds: sent when playback has started, then at
 * most every 5 s while the tab is visible, and at pause, end, hide and page exit, only when the second moved; a
 * hidden tab sends nothing on its own (no timers: everything runs from the player's own events).
 */
export const WATCH_JS = `(function(){var m=document.getElementById("w"),v=document.getElementById("v"),T=m&&m.getAttribute("data-t");if(!v||!T)return;
var sent={},played=0,last=null,far=0,pl=false,rs=-1,ls=0;
function send(o){var d=JSON.stringify(o);if(!(navigator.sendBeacon&&navigator.sendBeacon("/api/v1/track",d))){try{fetch("/api/v1/track",{method:"POST",body:d,keepalive:true})}catch(_){}}}
function b(e,x){var k=e+(x||"");if(sent[k])return;sent[k]=1;send(x?{t:T,e:e,v:x}:{t:T,e:e})}
function pos(now){if(played<0.25)return;var s=Math.floor(far),n=Date.now();if(s<=rs)return;if(!now&&(document.hidden||n-ls<5000))return;rs=s;ls=n;send({t:T,e:"pos",v:s})}
function ms(p){if(!pl)return;[25,50,75].forEach(function(x){if(p>=x)b("progress",x)})}
v.addEventListener("seeking",function(){last=null});
v.addEventListener("timeupdate",function(){var t=v.currentTime,d=v.duration;if(last!==null&&t>last&&t-last<1.5){played+=t-last;if(t>far)far=t}last=t;
if(!pl&&played>=Math.min(3,(d||4)*0.9)){pl=true;b("play")}if(d>0)ms(far/d*100);pos(rs<0)});
v.addEventListener("pause",function(){pos(true)});
v.addEventListener("ended",function(){var d=v.duration;if(d>far&&last!==null&&d-far<1.5)far=d;if(!pl&&played>=Math.min(3,(v.duration||4)*0.9)){pl=true;b("play")}if(pl){ms(100);b("progress",100);b("complete")}pos(true)});
document.addEventListener("visibilitychange",function(){if(document.hidden)pos(true)});
window.addEventListener("pagehide",function(){pos(true)});
var c=document.getElementById("cta");if(c)c.addEventListener("click",function(){b("cta")});})();`;

const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/** CSP for the watch page: only our inline script and styles (by hash; `extraStyle` is a page's branded CSS), media and beacons to our own origin. */
export function watchCsp(extraStyle?: string | null): string {
  return [
    "default-src 'none'",
    `script-src ${sha(WATCH_JS)}`,
    `style-src ${sha(WATCH_CSS)}${extraStyle ? ` ${sha(extraStyle)}` : ''}`,
    "img-src 'self'",
    "media-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const WATCH_CSP = watchCsp();
