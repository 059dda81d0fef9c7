import { createPrismaClient } from "../prisma-client.js";
import { toJsonText, toNumber } from "../repositories/records.js";

/**
 * Publishes `graph` as the next version of `flowId` without validating or
 * parsing it: what a newer (or older) release of the web app might have
 * written, for tests of what a reader does with a version its schema
 * rejects. Returns the version's id and number.
 */
export async function publishUnchecked(input: {
  readonly url: string;
  readonly flowId: string;
  readonly graph: unknown;
}): Promise<{ versionId: string; version: number }> {
  const { prisma } = await createPrismaClient(input.url);
  try {
    const claimed = await prisma.$queryRaw<{ lastVersion: unknown }[]>`
      UPDATE "Flow" SET "lastVersion" = "lastVersion" + 1 WHERE "id" = ${input.flowId}
      RETURNING "lastVersion"`;
    const number = toNumber(claimed[0]?.lastVersion);
    const row = await prisma.flowVersion.create({
      data: {
        flowId: input.flowId,
        number,
        graph: toJsonText(input.graph, "graph"),
        publishedBy: "test",
        comment: null,
      },
    });
    return { versionId: row.id, version: row.number };
  } finally {
    await prisma.$disconnect();
  }
}
