import type { ResourceKind } from "../model/config-fields";

/** A record a select offers: its id (what the config stores) and its name. */
export interface ResourceOption {
  readonly id: string;
  readonly name: string;
}

/** The queues and agent groups the database has, for the settings selects. */
export type ResourceOptions = Readonly<Record<ResourceKind, readonly ResourceOption[]>>;

/** No records (while they load). */
export const noResourceOptions: ResourceOptions = { queue: [], agentGroup: [] };
