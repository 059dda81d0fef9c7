import { flowDraftSchema } from "@ringflow/core/flow";
import { z } from "zod";
import { revisionSchema } from "@/lib/schema-helpers";

/** A publish or rollback comment: required, so the version list says why each version exists. */
export const publishCommentSchema = z
  .string()
  .trim()
  .min(1, "Say what changed")
  .max(500, "At most 500 characters");

/** Saving the editor's draft: the graph and the revision the editor started from. */
export const saveDraftInputSchema = z.object({
  id: z.string(),
  graph: flowDraftSchema,
  expectedRevision: revisionSchema,
});

/** Importing a file into the draft: any JSON, judged by core on the server. */
export const importDraftInputSchema = z.object({
  id: z.string(),
  json: z.unknown(),
  expectedRevision: revisionSchema,
});
