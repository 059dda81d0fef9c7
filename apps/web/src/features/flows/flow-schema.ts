import { z } from "zod";
import { nameSchema } from "@/lib/schema-helpers";

/** A flow's name and description, as created and renamed. */
export const flowFieldsSchema = z.object({
  name: nameSchema,
  description: z.string().trim().max(500, "At most 500 characters").default(""),
});
