// The ranking choices validated leave-one-collection-out by bench/ranking.mjs. Each lists the values tried, as
// overrides of searchIndex's options (src/core/runbooks/search.ts DEFAULT_RANK); `default` is the value shipped.
const BM25F = (heading) => ({ k1: 1.2, weight: { title: 3, heading, body: 1 }, b: { title: 0.3, heading: 0.3, body: 0.75 } });
const w = (votes) => ({ rank: { w: votes } });

export const CHOICES = [
  { name: 'fusion', default: 0, values: [{ label: 'reciprocal ranks', variant: {} }, { label: 'weighted scores (before)', variant: { rank: { fusion: 'score' } } }] },
  { name: 'RRF votes scaled by score/best', default: 0, values: [{ label: 'no', variant: {} }, { label: 'yes', variant: { rank: { scaled: true } } }] },
  { name: 'RRF constant k', default: 1, values: [{ label: '10', variant: { rank: { k: 10 } } }, { label: '20', variant: {} }, { label: '60', variant: { rank: { k: 60 } } }] },
  { name: 'dense section vote', default: 1, values: [{ label: '0', variant: w({ dense: 0 }) }, { label: '0.5', variant: {} }, { label: '1', variant: w({ dense: 1 }) }] },
  { name: 'whole-file dense fit vote', default: 2, values: [{ label: '0', variant: w({ fit: 0 }) }, { label: '1', variant: w({ fit: 1 }) }, { label: '3', variant: {} }] },
  { name: 'whole-file fit measure', default: 2, values: [{ label: 'mean section vector', variant: { rank: { fit: 'centroid' } } }, { label: 'best 3 sections', variant: { rank: { fit: 'top3' } } }, { label: 'mean of both', variant: {} }] },
  { name: 'file-level BM25 vote', default: 1, values: [{ label: '0', variant: w({ file: 0 }) }, { label: '1', variant: {} }, { label: '2', variant: w({ file: 2 }) }] },
  { name: 'heading-IDF vote', default: 1, values: [{ label: '0', variant: w({ headingIdf: 0 }) }, { label: '0.5', variant: {} }, { label: '1', variant: w({ headingIdf: 1 }) }, { label: '0.5, only reordering within a file', variant: { rank: { withinFile: true } } }] },
  { name: 'own-heading coverage vote', default: 0, values: [{ label: '0', variant: {} }, { label: '0.5', variant: w({ heading: 0.5 }) }, { label: '0.5, only within a file', variant: { rank: { withinFile: true, w: { heading: 0.5, headingIdf: 0 } } } }] },
  { name: 'template-unit BM25 vote', default: 0, values: [{ label: '0', variant: {} }, { label: '0.5', variant: w({ unit: 0.5 }) }, { label: '1', variant: w({ unit: 1 }) }] },
  { name: 'parent-heading BM25 vote', default: 0, values: [{ label: '0', variant: {} }, { label: '1', variant: w({ parent: 1 }) }] },
  { name: 'query-coverage vote', default: 0, values: [{ label: '0', variant: {} }, { label: '1', variant: w({ coverage: 1 }) }] },
  { name: 'percentages vote', default: 1, values: [{ label: '0', variant: w({ numbers: 0 }) }, { label: '1', variant: {} }, { label: '2', variant: w({ numbers: 2 }) }] },
  { name: 'BM25F heading weight', default: 0, values: [{ label: '2', variant: {} }, { label: '4', variant: { rank: { bm25f: BM25F(4) } } }] },
  { name: 'file BM25 length normalisation b', default: 1, values: [{ label: '0.3', variant: { rank: { fileBm25: { k1: 1.2, b: 0.3 } } } }, { label: '0.75', variant: {} }] },
];
