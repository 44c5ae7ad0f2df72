/** Distinct failures both racing workers report, in the same order. */
export const RACE_FAILURES = [
  'ERROR Task timed out after {n} seconds',
  'ERROR java.lang.OutOfMemoryError: Java heap space in worker {n}',
  'ERROR redis.exceptions.ConnectionError: Connection refused (redis-{n}.cache)',
  'ERROR disk full on /var/lib/data/{n}',
  'npm ERR! ERESOLVE unable to resolve dependency tree (react@{n})',
  'ERROR x509: certificate has expired or is not yet valid (bank-api {n})',
  'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory ({n})',
  'ERROR pq: deadlock detected while writing ledger entry {n}',
];
