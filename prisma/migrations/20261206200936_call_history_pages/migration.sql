-- DropIndex
DROP INDEX "CallRecord_startedAt_idx";

-- DropIndex
DROP INDEX "CallRecord_queueId_startedAt_idx";

-- CreateIndex
CREATE INDEX "CallRecord_startedAt_callUuid_idx" ON "CallRecord"("startedAt", "callUuid");

-- CreateIndex
CREATE INDEX "CallRecord_queueId_startedAt_callUuid_idx" ON "CallRecord"("queueId", "startedAt", "callUuid");

-- CreateIndex
CREATE INDEX "CallRecord_agentContact_startedAt_idx" ON "CallRecord"("agentContact", "startedAt");

