const BARS = '▁▂▃▄▅▆▇█';

/**
 * A one-line sparkline of at most `width` characters. Longer series are squeezed by taking the maximum of each
 * bucket, so a spike never disappears. A flat series is drawn at the bottom.
 */
export function sparkline(values: number[], width = 60): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '';
  const buckets: number[] = [];
  if (finite.length <= width) buckets.push(...finite);
  else {
    for (let i = 0; i < width; i++) {
      const from = Math.floor((i * finite.length) / width);
      const to = Math.floor(((i + 1) * finite.length) / width);
      buckets.push(Math.max(...finite.slice(from, Math.max(to, from + 1))));
    }
  }
  const min = Math.min(...buckets);
  const span = Math.max(...buckets) - min;
  return buckets.map((v) => BARS[span === 0 ? 0 : Math.round(((v - min) / span) * (BARS.length - 1))]).join('');
}
