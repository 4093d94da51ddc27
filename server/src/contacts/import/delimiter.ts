export type Delimiter = ',' | ';' | '\t' | '|';
const CANDIDATES: Delimiter[] = [',', ';', '\t', '|'];

/** Counts each candidate outside quotes on each of the first lines (a quoted newline does not end a line). */
function countsPerLine(text: string, maxLines: number): Map<Delimiter, number[]> {
  const counts = new Map<Delimiter, number[]>(CANDIDATES.map((d) => [d, [0]]));
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && lines < maxLines; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      lines++;
      for (const arr of counts.values()) arr.push(0);
    } else if (!quoted) {
      const arr = counts.get(ch as Delimiter);
      if (arr) arr[arr.length - 1]!++;
    }
  }
  // The last line may be cut off by the sample: keep it only when the sample holds the whole text.
  for (const arr of counts.values()) if (arr.length > 1) arr.pop();
  return counts;
}

/**
 * Guesses the delimiter from the start of the file: the candidate that appears on the header line and most
 * consistently on the next lines (Excel's "Unicode text" is tab-separated; European locales use ";").
 * Comma when nothing else fits (also for a one-column file).
 */
export function sniffDelimiter(sample: string): Delimiter {
  const counts = countsPerLine(sample, 20);
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of CANDIDATES) {
    const arr = counts.get(d)!;
    const header = arr[0] ?? 0;
    if (header === 0) continue;
    const rest = arr.slice(1);
    const consistent = rest.length === 0 ? 1 : rest.filter((n) => n === header).length / rest.length;
    const score = header * (0.5 + consistent);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}
