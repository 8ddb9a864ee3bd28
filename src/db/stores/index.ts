import type { Knex } from 'knex';
import type { KeyRing } from '../../crypto/key-ring';
import { createConnectSessionsStore } from './connect-sessions-store';
import { createConnectionEventsStore } from './connection-events-store';
import { createGrantRevocationsStore } from './grant-revocations-store';
import { createLessonsStore } from './lessons-store';
import { createMeetingsStore } from './meetings-store';
import { createNoncesStore } from './nonces-store';
import { createTokensStore } from './oauth-service-tokens-store';
import { createPendingGrantsStore } from './pending-grants-store';
import { createPersonalDataStore } from './personal-data-store';
import { createPlatformEventsStore } from './platform-events-store';
import { createReconnectionStore } from './reconnection-store';
import { createSentEmailsStore } from './sent-emails-store';
import { createUsersStore } from './users-store';

/**
 * Every store, built once per process by the container and handed to the services that use it
 * (as in Unleash's createStores). Secrets are encrypted with the key ring inside the stores.
 */
export function createStores(db: Knex, keyRing: KeyRing) {
  return {
    users: createUsersStore(db),
    tokens: createTokensStore(db, keyRing),
    connectionEvents: createConnectionEventsStore(db),
    connectSessions: createConnectSessionsStore(db),
    pendingGrants: createPendingGrantsStore(db, keyRing),
    nonces: createNoncesStore(db),
    grantRevocations: createGrantRevocationsStore(db, keyRing),
    reconnection: createReconnectionStore(db),
    lessons: createLessonsStore(db),
    meetings: createMeetingsStore(db, keyRing),
    sentEmails: createSentEmailsStore(db),
    personalData: createPersonalDataStore(db),
    platformEvents: createPlatformEventsStore(db),
  };
}
export type Stores = ReturnType<typeof createStores>;
