import type { RunningCluster } from '../../scripts/lib/cluster/start-cluster';
import type { ClusterStack } from '../../drills/lib/cluster-stack';
import type { TestStack } from '../../test/support/stack';

/**
 * What a figure runs against: the bench's stack (the dev server, a worker process started per
 * figure, the API in this process), or the same stack served by a cluster, whose workers and APIs
 * are processes already running. The figures take either, and read the target from it.
 */
export type BenchStack = TestStack & { cluster?: RunningCluster };

/** The cluster as a bench stack: the same database and emulators, its first API as `api.url`. */
export function clusterBenchStack({ stack, cluster }: ClusterStack): BenchStack {
  const [first] = cluster.urls.apis;
  if (!first) throw new Error('a cluster without an API');
  return { ...stack, api: { ...stack.api, url: first }, cluster };
}

/** Where load goes: every API of the target. */
export const apiUrlsOf = (stack: BenchStack): string[] => stack.cluster?.urls.apis ?? [stack.api.url];

export const targetLabel = (stack: BenchStack): string => (stack.cluster ? 'cluster' : 'dev server');

/** A cluster's first worker process, whose CPU the burst's split reports. */
export function clusterWorkerPid(cluster: RunningCluster): number {
  const pid = cluster.processes['worker-1']?.child?.pid;
  if (pid === undefined) throw new Error('the cluster has no running worker-1');
  return pid;
}
