-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CallbackRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "queueId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "callerName" TEXT,
    "requestedAt" DATETIME NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 5,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL,
    "retryDelayMs" INTEGER,
    "nextAttemptAt" DATETIME NOT NULL,
    "lastResult" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "dialStartedAt" DATETIME,
    "lostDials" INTEGER NOT NULL DEFAULT 0,
    "customerLeg" TEXT,
    "openKey" TEXT,
    "callUuid" TEXT,
    "flowVersionId" TEXT,
    "nodeId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_CallbackRequest" ("attempts", "callUuid", "callerName", "createdAt", "flowVersionId", "id", "lastResult", "leaseOwner", "leaseUntil", "maxAttempts", "nextAttemptAt", "nodeId", "number", "openKey", "priority", "queueId", "requestedAt", "retryDelayMs", "status", "updatedAt") SELECT "attempts", "callUuid", "callerName", "createdAt", "flowVersionId", "id", "lastResult", "leaseOwner", "leaseUntil", "maxAttempts", "nextAttemptAt", "nodeId", "number", "openKey", "priority", "queueId", "requestedAt", "retryDelayMs", "status", "updatedAt" FROM "CallbackRequest";
DROP TABLE "CallbackRequest";
ALTER TABLE "new_CallbackRequest" RENAME TO "CallbackRequest";
CREATE UNIQUE INDEX "CallbackRequest_openKey_key" ON "CallbackRequest"("openKey");
CREATE INDEX "CallbackRequest_status_nextAttemptAt_idx" ON "CallbackRequest"("status", "nextAttemptAt");
CREATE INDEX "CallbackRequest_status_leaseUntil_idx" ON "CallbackRequest"("status", "leaseUntil");
CREATE INDEX "CallbackRequest_queueId_status_idx" ON "CallbackRequest"("queueId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

