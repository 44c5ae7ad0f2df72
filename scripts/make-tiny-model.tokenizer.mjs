/**
 * A small BERT WordPiece vocabulary and the tokenizer.json / tokenizer_config.json transformers.js reads.
 * Whole words for common on-call vocabulary, plus single characters and "##" pieces so any text tokenizes.
 */

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

const WORDS = `the a an and or not no is are was be to of in on for with at by from it this that as if
error errors alarm alarms alert 5xx 4xx 500 502 503 504 high low latency cpu memory disk full service
services deploy deployment rollback roll back database db connection connections timeout timeouts pool
queue lag load balancer alb elb target targets unhealthy healthy health check checks task tasks container
ecs cluster node pod restart restarts crash loop oom killed log logs metric metrics cloudwatch aws region
runbook on call page pager incident outage degraded slow fast request requests response rate limit
throttle throttling retry retries cache redis kafka consumer producer dns certificate tls expired ssl
network packet loss api gateway lambda function cold start scale scaling autoscaling capacity replica
replicas primary failover backup restore snapshot migration schema lock locks deadlock query queries
index slowlog http https status code codes user users customer login auth token session payment checkout
order orders worker workers job jobs cron batch stuck pending running stopped failed failure succeeded
version image rollout canary traffic shift blue green`.split(/\s+/).filter(Boolean);

const SUFFIXES = ['s', 'es', 'ed', 'ing', 'er', 'ers', 'ly', 'tion', 'ment', 'able', 'ness'];
const CHARS = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
const PUNCT = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];

/** Token strings in id order; ids are positions. */
export function buildVocab() {
  const seen = new Set();
  const out = [];
  for (const t of [...SPECIALS, ...PUNCT, ...CHARS, ...CHARS.map((c) => `##${c}`), ...SUFFIXES.map((s) => `##${s}`), ...WORDS]) {
    if (!seen.has(t)) {
      seen.add(t);
      out.push(t);
    }
  }
  return out;
}

export function buildTokenizer(vocab, maxLength) {
  const id = (t) => vocab.indexOf(t);
  const special = (t) => ({ id: id(t), content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const sp = (t) => ({ SpecialToken: { id: t, type_id: 0 } });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [sp('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, sp('[SEP]')],
      pair: [sp('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, sp('[SEP]'), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: maxLength,
    clean_up_tokenization_spaces: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
  return { tokenizer, tokenizerConfig };
}
