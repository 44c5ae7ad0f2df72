/** A body that passes lint once front matter is added. */
export const GOOD_BODY = `# PostgreSQL connection leak in orders-service

Use this when the orders pool runs dry.

## Detection

DatabaseConnections above 1200 on orders-prod.

## Investigation

\`\`\`sql
SELECT usename, application_name, state, count(*) FROM pg_stat_activity GROUP BY 1, 2, 3;
\`\`\`

## Remediation

\`\`\`bash
kubectl -n orders rollout restart deploy/orders-service
\`\`\`

## Verification

hikaricp_connections_pending back to 0 for 30 minutes.

## Escalation

Page the DBA on-call with the pg_stat_activity snapshot.
`;

/** Missing Verification and Escalation: lint fails, the repair path runs. */
export const BROKEN_BODY = `# PostgreSQL connection leak

## Detection

Connections climb.

## Investigation

\`\`\`sql
SELECT count(*) FROM pg_stat_activity;
\`\`\`

## Remediation

Restart the pods.
`;

export const GOOD_FRONT_MATTER = '---\ntitle: PostgreSQL connection leak\ntags: [postgresql]\n---\n\n';
