// The ranking choices validated leave-one-collection-out by bench/ranking.mjs. Each lists the values tried, as
// overrides of searchIndex's options; `default` is the index of the value the product ships.
export const CHOICES = [
  {
    name: 'fusion: reciprocal ranks vs weighted scores',
    default: 0,
    values: [
      { label: 'rrf', variant: {} },
      { label: 'weighted scores (old)', variant: { rank: { fusion: 'score' } } },
    ],
  },
];
