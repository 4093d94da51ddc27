import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses events split across chunks, with CRLF, comments and multi-line data', () => {
    const p = new SseParser();
    expect(p.push('event: progress\r\ndata: {"progress":')).toEqual([]);
    expect(p.push('10}\r\n\r\n: keep-alive\n\n')).toEqual([{ event: 'progress', data: '{"progress":10}' }]);
    expect(p.push('event: done\ndata: line1\ndata: line2\nid: 7\n\n')).toEqual([{ event: 'done', data: 'line1\nline2', id: '7' }]);
  });

  it('defaults the event name to "message" and ignores events without data', () => {
    const p = new SseParser();
    expect(p.push('event: x\n\ndata:hello\n\n')).toEqual([{ event: 'message', data: 'hello' }]);
  });
});
