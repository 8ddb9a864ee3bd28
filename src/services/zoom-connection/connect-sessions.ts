import type { Clock } from '../../clock';
import type { ConnectSessionsStore, OpenedSession } from '../../db/stores/connect-sessions-store';
import { hashOneTimeSecret, newOneTimeSecret } from './one-time-secret';
import type { ReconnectGrant } from './reconnect-token';

/** A connect session's URL is opened once, within 10 minutes. */
export const CONNECT_SESSION_TTL_SECONDS = 10 * 60;
/** Expired sessions and their pending grants are kept a day, so that a late click is told "expired". */
const KEEP_EXPIRED_MS = 24 * 3600_000;

export const connectSessionPath = (id: string): string => `/integrations/zoom/connect-sessions/${id}`;

/**
 * Connect sessions: the platform's backend makes one for the tutor behind its JWT (server to
 * server), and the tutor's browser opens its URL once. The session, not the browser, says whose
 * grant Zoom's answer will be, so a forwarded URL cannot attach someone else's Zoom account.
 */
export function createConnectSessions(deps: {
  sessions: ConnectSessionsStore;
  clock: Clock;
  publicBaseUrl: string;
}) {
  const expiry = () => new Date(deps.clock.now().getTime() + CONNECT_SESSION_TTL_SECONDS * 1000);

  return {
    async create(userId: string): Promise<{ url: string; expiresAt: Date }> {
      const id = newOneTimeSecret();
      const expiresAt = expiry();
      await deps.sessions.pruneExpired(new Date(deps.clock.now().getTime() - KEEP_EXPIRED_MS));
      await deps.sessions.create({ idHash: hashOneTimeSecret(id), userId, expiresAt });
      return { url: `${deps.publicBaseUrl}${connectSessionPath(id)}`, expiresAt };
    },

    async open(id: string): Promise<OpenedSession> {
      return deps.sessions.open(hashOneTimeSecret(id), deps.clock.now());
    },

    /** A click on a reconnect link: a session made and opened at once, carrying the link to use up. */
    async openForReconnectLink(link: ReconnectGrant): Promise<{ id: string; userId: string }> {
      const session = await deps.sessions.create({
        idHash: hashOneTimeSecret(newOneTimeSecret()),
        userId: link.userId,
        reconnect: { nonce: link.nonce, expiresAt: link.expiresAt },
        expiresAt: expiry(),
        openedAt: deps.clock.now(),
      });
      return { id: session.id, userId: session.userId };
    },
  };
}
export type ConnectSessions = ReturnType<typeof createConnectSessions>;
