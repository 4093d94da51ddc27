/** Chart series colours (Fluent's palette; SVG attributes need literal colours, not CSS variables). */
export const CHART = {
  plays: '#0F6CBD',
  cta: '#107C10',
  watch: '#8764B8',
  human: '#0F6CBD',
  machine: '#8A8886',
  unknown: '#C8C6C4',
  grid: '#E1DFDD',
  axis: '#605E5C',
} as const;
