import { resolve } from 'node:path';

/**
 * The variables that fill in the Temporal server's own config template (`config/docker.yaml` of
 * the server module, which the server renders itself): the same names that docker-compose.yml
 * gives each `temporalio/server` container. test/deployment/topology-agreement.test.ts checks
 * that the two sets agree.
 */
export const TEMPORAL_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

/** The one dynamic config file, mounted into every compose container and read natively. */
export const DYNAMIC_CONFIG_FILE = resolve(__dirname, '../../../deploy/temporal/dynamicconfig.yaml');

/** Names both places set: the database, the dynamic config, the metrics endpoint, the service. */
export const SHARED_SERVER_VARIABLES = [
  'DB',
  'DB_PORT',
  // The template reads the visibility store's port from here, not from DB_PORT.
  'VISIBILITY_DB_PORT',
  'POSTGRES_SEEDS',
  'POSTGRES_USER',
  'POSTGRES_PWD',
  'DBNAME',
  'VISIBILITY_DBNAME',
  'DYNAMIC_CONFIG_FILE_PATH',
  'PROMETHEUS_ENDPOINT',
  'SERVICES',
] as const;

/**
 * Names only the native run sets, because every service shares one machine (compose gives each
 * container its own address and the template's default ports): the ports, the loopback address
 * to bind and broadcast, and pprof off.
 */
export const ONE_MACHINE_SERVER_VARIABLES = [
  'BIND_ON_IP',
  'TEMPORAL_BROADCAST_ADDRESS',
  'PPROF_PORT',
  'FRONTEND_GRPC_PORT',
  'FRONTEND_HTTP_PORT',
  'FRONTEND_MEMBERSHIP_PORT',
  'HISTORY_GRPC_PORT',
  'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_GRPC_PORT',
  'MATCHING_MEMBERSHIP_PORT',
  'WORKER_GRPC_PORT',
  'WORKER_MEMBERSHIP_PORT',
] as const;

/**
 * What a Go process of the cluster inherits: like a container, nothing of ours but the variables
 * it is given (the service's LOG_LEVEL, say, would otherwise set the server's too).
 */
export function bareEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const { PATH, HOME, TZ } = process.env;
  return { ...(PATH && { PATH }), ...(HOME && { HOME }), ...(TZ && { TZ }), ...settings };
}

type ServerVariable =
  (typeof SHARED_SERVER_VARIABLES)[number] | (typeof ONE_MACHINE_SERVER_VARIABLES)[number];

export interface ServerPorts {
  frontendGrpc: number;
  frontendHttp: number;
  /** gRPC and membership port of each service; membership ports must stay below 32768. */
  grpc: Record<TemporalService, number>;
  membership: Record<TemporalService, number>;
  /** Prometheus port of each service. */
  metrics: Record<TemporalService, number>;
}

export interface ServerDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  temporal: string;
  visibility: string;
}

/** The template's variables for one service of a cluster on this machine. */
export function temporalServerEnv(
  service: TemporalService,
  db: ServerDatabase,
  ports: ServerPorts,
): Record<ServerVariable, string> {
  return {
    DB: 'postgres12',
    DB_PORT: String(db.port),
    VISIBILITY_DB_PORT: String(db.port),
    POSTGRES_SEEDS: db.host,
    POSTGRES_USER: db.user,
    POSTGRES_PWD: db.password,
    DBNAME: db.temporal,
    VISIBILITY_DBNAME: db.visibility,
    DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG_FILE,
    PROMETHEUS_ENDPOINT: `127.0.0.1:${ports.metrics[service]}`,
    SERVICES: service,
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    PPROF_PORT: '0',
    FRONTEND_GRPC_PORT: String(ports.grpc.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.membership.frontend),
    HISTORY_GRPC_PORT: String(ports.grpc.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.membership.history),
    MATCHING_GRPC_PORT: String(ports.grpc.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.membership.matching),
    WORKER_GRPC_PORT: String(ports.grpc.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.membership.worker),
  };
}
