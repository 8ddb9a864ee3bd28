/**
 * The versions `npm run cluster` builds, which must be those docker-compose.yml runs
 * (test/deployment/topology-agreement.test.ts checks it).
 */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
export const TEMPORAL_UI_VERSION = '2.42.1';
