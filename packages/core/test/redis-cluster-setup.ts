import type { TestProject } from "vitest/node";
import { startRedisCluster } from "./redis-cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** `host:port,...` of the local cluster's masters, in the cluster project only. */
    redisClusterNodes: string;
  }
}

/**
 * globalSetup of the `cluster` test project: a local 3-master Redis Cluster
 * for the run, shut down after it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startRedisCluster();
  project.provide("redisClusterNodes", cluster.nodes);
  return () => cluster.stop();
}
