"use client";

import { createContext, type ReactNode, useContext } from "react";
import type { ResourceKind } from "../model/config-fields";
import { noResourceOptions, type ResourceOptions } from "../panel/resource-options";

const ResourcesContext = createContext<ResourceOptions>(noResourceOptions);

/** Gives the canvas the names of the queues and agent groups a flow refers to by id. */
export function ResourcesProvider(props: { resources: ResourceOptions; children: ReactNode }) {
  return (
    <ResourcesContext.Provider value={props.resources}>{props.children}</ResourcesContext.Provider>
  );
}

/** The database's records of each kind, for the settings selects. */
export function useResources(): ResourceOptions {
  return useContext(ResourcesContext);
}

/** The name of queue or agent group `id`, or `undefined` when the database has none by that id. */
export function useResourceName(kind: ResourceKind, id: string | undefined): string | undefined {
  const resources = useContext(ResourcesContext);
  return id === undefined ? undefined : resources[kind].find((r) => r.id === id)?.name;
}
